"""Lesson blocks: validation and rendering."""

import pytest
from django.core.exceptions import ValidationError

from cms.blocks import CodeBlock, FigureBlock, HeadingBlock, LessonStreamBlock, StepBlock, VideoBlock


def video_value(**raw):
    block = VideoBlock()
    return block, block.to_python({"title": "Bài giảng", "file": None, "poster": None, "captions": None,
                                    "embed": None, **raw})


@pytest.mark.django_db
def test_a_video_needs_exactly_one_source(make_document, embed_url):
    video = make_document("bai-giang.mp4", b"\x00\x00\x00\x18ftypmp42")

    block, both = video_value(file=video.pk, embed=embed_url)
    with pytest.raises(ValidationError):
        block.clean(both)

    block, neither = video_value()
    with pytest.raises(ValidationError):
        block.clean(neither)

    block, uploaded = video_value(file=video.pk)
    assert block.clean(uploaded)["file"] == video
    block, embedded = video_value(embed=embed_url)
    assert block.clean(embedded)["embed"].url == embed_url


@pytest.mark.django_db
def test_video_captions_must_be_webvtt_and_go_with_an_uploaded_file(make_document, embed_url):
    video = make_document("bai-giang.mp4", b"\x00")
    srt = make_document("phu-de.srt", b"1\n00:00:01,000 --> 00:00:02,000\nXin chao\n")
    vtt = make_document("phu-de.vtt")

    block, wrong_format = video_value(file=video.pk, captions=srt.pk)
    with pytest.raises(ValidationError):
        block.clean(wrong_format)
    block, embed_with_captions = video_value(embed=embed_url, captions=vtt.pk)
    with pytest.raises(ValidationError):
        block.clean(embed_with_captions)
    block, good = video_value(file=video.pk, captions=vtt.pk)
    assert block.clean(good)["captions"] == vtt


@pytest.mark.django_db
def test_an_uploaded_video_renders_with_poster_and_captions_track(make_document, make_image):
    video = make_document("bai-giang.mp4", b"\x00")
    vtt = make_document("phu-de.vtt")
    poster = make_image()
    block, value = video_value(file=video.pk, captions=vtt.pk, poster=poster.pk)

    html = block.render(value)

    assert "<video controls" in html and f'src="{video.url}"' in html
    assert f'<track kind="captions" src="{vtt.url}" srclang="vi"' in html
    assert 'poster="/media/images/' in html


@pytest.mark.django_db
def test_an_embedded_video_renders_the_provider_player(embed_url):
    block, value = video_value(embed=embed_url)
    html = block.render(value)
    assert 'src="https://www.youtube.com/embed/dQw4w9WgXcQ"' in html
    assert "<video" not in html


@pytest.mark.django_db
def test_a_screenshot_needs_a_description(make_image):
    block = StepBlock()
    shot = make_image()
    with pytest.raises(ValidationError):
        block.clean(block.to_python({"text": "<p>Bấm Lưu.</p>", "screenshot": shot.pk, "screenshot_alt": ""}))
    cleaned = block.clean(block.to_python({"text": "<p>Bấm Lưu.</p>", "screenshot": shot.pk,
                                           "screenshot_alt": "Nút Lưu trên thanh công cụ"}))
    assert cleaned["screenshot"] == shot


def test_code_is_rendered_escaped_in_pre_code():
    block = CodeBlock()
    html = block.render(block.to_python({"language": "html", "code": '<script>alert("x")</script>'}))
    assert '<pre class="block-code" tabindex="0"><code class="language-html">' in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_heading_renders_at_its_level():
    block = HeadingBlock()
    assert block.render(block.to_python({"text": "Mục tiêu", "level": "h3"})).strip() == "<h3>Mục tiêu</h3>"


@pytest.mark.django_db
def test_image_renders_with_alt_text_and_caption(make_image):
    block = FigureBlock()
    image = make_image()
    html = block.render(block.to_python({"image": image.pk, "alt_text": "Màn hình đăng nhập",
                                         "caption": "Hình 1. Đăng nhập"}))
    assert 'alt="Màn hình đăng nhập"' in html and "<figcaption>Hình 1. Đăng nhập</figcaption>" in html


def test_every_lesson_block_has_a_template_and_a_label():
    for name, block in LessonStreamBlock().child_blocks.items():
        assert block.meta.template.startswith("blocks/"), name
        assert block.label, name
