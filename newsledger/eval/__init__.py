"""Evaluation harnesses for newsledger extractors."""
