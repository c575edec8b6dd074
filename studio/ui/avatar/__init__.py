"""The Create avatar tab: its photo source row, the upload and its recovery, and the result card."""
