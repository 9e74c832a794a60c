"""Files asked for by name at the site's root."""

from pathlib import Path

from django.conf import settings


def test_favicon_ico_leads_to_the_sites_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert Path(response["Location"]).name.startswith("favicon")
    assert response["Location"].endswith(".svg")
    assert "max-age=86400" in response["Cache-Control"]
    assert (Path(settings.BASE_DIR) / "static" / "img" / "favicon.svg").exists()
    assert client.head("/favicon.ico").status_code == 302
    assert client.post("/favicon.ico").status_code == 405
