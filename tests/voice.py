"""The site's voice is Argentine voseo: a detector for usted and tú in what people read."""

import html
import re

# Forms of address that are not voseo: usted ("inicie", "su cuenta") and tú ("tienes", "vete").
NOT_VOSEO = re.compile(
    r"\b(usted|ustedes|su cuenta|su contraseña|su dirección|su email|su correo|sus datos|"
    r"inicie|ingrese|introduzca|confirme|asegúrese|haga clic|escoja|seleccione|corrija|"
    r"vuelva a|por favor|ha iniciado|ha cerrado|ha sido|"
    r"tienes|puedes|quieres|debes|eres|vete|introduce|ingresa tu|confirma tu|inicia sesión)\b",
    re.IGNORECASE,
)


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return re.sub(r"\s+", " ", html.unescape(page))


def assert_voseo(text: str, where: str):
    found = NOT_VOSEO.findall(text)
    assert not found, f"{where}: {found} en «{text[:400]}»"
