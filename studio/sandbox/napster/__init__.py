"""Napster's companion API in the sandbox: /public routes behind X-Api-Key, Napster's error
format, companions and digital twins whose generation runs on an accelerated clock.

Kept free of imports so that studio.sandbox.state can read the configuration module.
"""
