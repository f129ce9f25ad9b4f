"""A lesson's picture links to its full-size file: the page shows it at most 960 px wide, and on a phone a
diagram's labels came out 6 px high with no way to enlarge them."""

import pytest
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from cms.blocks import FigureBlock

pytestmark = pytest.mark.django_db


def test_the_picture_opens_at_full_size(media_root):
    image = Image.objects.create(title="Các bộ phận máy tính", file=get_test_image_file(size=(1600, 900)))
    block = FigureBlock()
    html = block.render(block.to_python({"image": image.pk, "alt_text": "Sơ đồ máy tính", "caption": "Hình 1"}))
    assert f'<a class="figure-link" href="{image.file.url}">' in html
    assert 'alt="Sơ đồ máy tính"' in html and "visually-hidden" in html
