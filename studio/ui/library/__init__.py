"""The Library tab and the avatar picker: the browser they share (search, filter, grid, paging),
its model, tiles and thumbnails, the details pane with its edits, and the previews."""
