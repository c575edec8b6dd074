"""The Library tab: the avatar grid, its model, tiles, thumbnails, previews and the picker."""
