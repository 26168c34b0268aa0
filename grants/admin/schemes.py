"""Placeholder until its helper lands it."""
