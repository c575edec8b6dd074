"""The photo views every tab that shows a photo shares: loading, crop view, frames, checks."""
