"""The diagram gallery in real JupyterLab: choosing a diagram and a style redraws it."""

from __future__ import annotations

import pytest

from .harness import REPO_ROOT, assert_no_error_outputs, assert_no_widgets_as_text, run_all_cells

pytestmark = pytest.mark.browser

GALLERY = REPO_ROOT / "notebooks" / "diagram_gallery.ipynb"


def _gallery_img(page):
    return page.locator(".pl-diagram-gallery img").first


def test_gallery_redraws_when_a_facilitator_picks_a_diagram_and_the_projector_style(
    open_in_lab, page, screenshot
):
    open_in_lab(GALLERY)
    run_all_cells(page)
    assert_no_error_outputs(page)
    assert_no_widgets_as_text(page)

    img = _gallery_img(page)
    img.wait_for(state="visible", timeout=30_000)
    first_alt = img.get_attribute("alt")
    assert first_alt.startswith("Collaboration continuum"), first_alt

    gallery = page.locator(".pl-diagram-gallery")
    gallery.locator("select").select_option(label="The Mobius model (Demarest et al 2004)")
    page.wait_for_function(
        "() => document.querySelector('.pl-diagram-gallery img').alt.startsWith('Mobius map')",
        timeout=30_000,
    )
    assert _gallery_img(page).get_attribute("width") == "1000"

    gallery.get_by_role("button", name="Projector").click()
    page.wait_for_function(
        "() => document.querySelector('.pl-diagram-gallery img').getAttribute('width') === '1920'",
        timeout=30_000,
    )
    # The text description travels with the picture.
    assert "Mobius" in gallery.locator("details").first.text_content()
    screenshot("projector")
