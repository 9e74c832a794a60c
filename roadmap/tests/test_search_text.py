"""The text rules of the search: one typo per word, snippets, highlighting (no database)."""

from roadmap.catalog.search import (
    TYPO_MAX_ALTERNATIVES,
    Terms,
    Vocabulary,
    normalize_search_text,
    query_words,
    within_one_edit,
)
from roadmap.catalog.snippets import SNIPPET_CHARS, Piece, highlight, plain_text, snippet
from roadmap.templatetags.search_tags import with_marks


def marked(pieces: list[Piece]) -> list[str]:
    return [piece.text for piece in pieces if piece.marked]


def joined(pieces: list[Piece]) -> str:
    return "".join(piece.text for piece in pieces)


def test_one_edit_is_a_change_an_addition_a_removal_or_a_swap():
    assert within_one_edit("cuantisacion", "cuantizacion")
    assert within_one_edit("cuantzacion", "cuantizacion")
    assert within_one_edit("cuantizaciion", "cuantizacion")
    assert within_one_edit("cuantziacion", "cuantizacion")
    assert within_one_edit("lora", "lora")


def test_two_edits_are_too_many():
    assert not within_one_edit("cuantisasion", "cuantizacion")
    assert not within_one_edit("abcd", "badc")
    assert not within_one_edit("abc", "bca")
    assert not within_one_edit("abc", "abcde")


def test_a_word_is_known_when_it_is_part_of_a_course_word():
    vocabulary = Vocabulary(["la cuantizacion de modelos", "lora y qlora"])
    assert "cuantiz" in vocabulary
    assert "qlo" in vocabulary
    assert "cuantizacion de" not in vocabulary  # words, not phrases


def test_near_words_are_the_most_used_first_and_bounded():
    texts = ["modelos"] * 3 + ["modelas"] + [f"modelo{n}" for n in range(9)]
    near = Vocabulary(texts).near("modelox")
    assert near[0] == "modelos"
    assert len(near) == TYPO_MAX_ALTERNATIVES


def test_a_near_word_that_holds_another_adds_nothing():
    assert Vocabulary(["luna lunas"]).near("lunaz") == ("luna",)


def test_short_words_get_no_near_words():
    assert Vocabulary(["lora"]).near("lorx") == ()


def test_terms_keep_known_words_and_correct_the_others():
    vocabulary = Vocabulary([normalize_search_text("La cuantización de modelos")])
    terms = Terms.read(query_words("Cuantisación MODELOS"), vocabulary)
    assert terms.alternatives == (("cuantizacion",), ("modelos",))
    assert terms.corrections == {"cuantisacion": ("cuantizacion",)}
    assert terms.can_match
    assert terms.matches_all("cuantizacion de modelos")
    assert not Terms.read(["xilofonista"], vocabulary).can_match


def test_highlight_maps_folded_matches_to_the_original_characters():
    pieces = highlight("La CUANTIZACIÓN y la cuantización", ["cuantizacion"])
    assert marked(pieces) == ["CUANTIZACIÓN", "cuantización"]
    assert joined(pieces) == "La CUANTIZACIÓN y la cuantización"


def test_highlight_with_characters_that_fold_to_several():
    assert marked(highlight("Straße y ﬁnal", ["strasse", "final"])) == ["Straße", "ﬁnal"]
    decomposed = "cuantizacio\u0301n"  # the accent as a combining character
    assert marked(highlight(decomposed, ["cuantizacion"])) == [decomposed]


def test_overlapping_matches_are_one_mark():
    assert marked(highlight("qlora", ["qlo", "lora"])) == ["qlora"]
    assert highlight("", ["x"]) == []


def test_snippet_of_a_short_text_is_the_whole_text():
    assert joined(snippet("Corto y claro.", ["claro"])) == "Corto y claro."


def test_snippet_is_a_window_around_the_first_match_cut_between_words():
    text = "uno dos tres " * 20 + "la Cuantización importa " + "cuatro cinco " * 20
    pieces = snippet(text, ["cuantizacion"])
    shown = joined(pieces)
    assert shown.startswith("… ") and shown.endswith(" …")
    assert marked(pieces) == ["Cuantización"]
    assert len(shown) <= SNIPPET_CHARS + 4
    inner = shown[2:-2]
    assert inner in text
    assert f" {inner} " in f" {text} "  # whole words only


def test_snippet_without_a_match_is_the_beginning():
    text = "Primero. " * 40
    shown = joined(snippet(text, ["nada"]))
    assert shown.startswith("Primero.") and shown.endswith(" …")


def test_snippet_of_a_match_near_the_end_fills_the_window_backwards():
    text = "palabra " * 40 + "final"
    pieces = snippet(text, ["final"])
    assert marked(pieces) == ["final"]
    assert len(joined(pieces)) > SNIPPET_CHARS - 20


def test_plain_text_drops_tags_keeps_words_and_separates_blocks():
    stored = (
        '<p>Hola <strong>mundo</strong>, <a href="https://x.org/?a>b" rel="noopener">enlace</a>'
        "</p><ul><li>uno</li><li>dos &amp; &lt;tres&gt;</li></ul><pre><code>x = 1\n</code></pre>"
    )
    assert plain_text(stored) == "Hola mundo, enlace uno dos & <tres> x = 1"


def test_pieces_are_escaped_before_they_are_marked():
    pieces = [Piece("<b>"), Piece("x & <i>y</i>", True), Piece('"')]
    assert with_marks(pieces) == "&lt;b&gt;<mark>x &amp; &lt;i&gt;y&lt;/i&gt;</mark>&quot;"
