"""Tests of the command line, resources, desktop integration and the bundle's launch path."""
