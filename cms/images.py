"""The Wagtail image form (WAGTAILIMAGES_IMAGE_FORM_BASE): the pixel limit is read from the image's header.

Wagtail measures an upload through Willow, which decodes the whole image before comparing its pixels with
WAGTAILIMAGES_MAX_IMAGE_PIXELS, and lets a damaged file's decoding error through (a server error). Here the
size comes from the header (Pillow's open reads no pixel data); only an image within the limit is then
decoded once, so a truncated or forged file is refused with a message rather than failing later.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm


class HeaderCheckedImageField(WagtailImageField):
    def check_image_pixel_size(self, f):
        source = f.image.f  # the uploaded file, as Willow's ImageFile keeps it
        source.seek(0)
        try:
            with PILImage.open(source) as image:
                pixels = image.width * image.height * getattr(image, "n_frames", 1)
                if self.max_image_pixels is not None and pixels > self.max_image_pixels:
                    raise ValidationError(
                        self.error_messages["file_too_many_pixels"]
                        % {"num_pixels": pixels, "max_pixels_count": self.max_image_pixels},
                        code="file_too_many_pixels",
                    )
                image.load()
        except PILImage.DecompressionBombError:  # Pillow's own limit (lms.settings: LMS_MAX_IMAGE_PIXELS)
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {"num_pixels": "?", "max_pixels_count": self.max_image_pixels},
                code="file_too_many_pixels",
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
            raise ValidationError(self.error_messages["invalid_image"], code="invalid_image") from None
        finally:
            source.seek(0)


class ImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            # Built per form, like Wagtail's own field, so the size and pixel settings are read now.
            wagtail_field = self.fields["file"]
            self.fields["file"] = HeaderCheckedImageField(
                label=wagtail_field.label, required=wagtail_field.required, widget=wagtail_field.widget
            )
