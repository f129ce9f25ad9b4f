"""The chooser block of H5P activities, for cms's lesson block (cms.blocks.H5PBlock)."""

from .chooser import content_chooser_viewset

H5PContentChooserBlock = content_chooser_viewset.get_block_class(
    name="H5PContentChooserBlock", module_path="h5p.blocks"
)
