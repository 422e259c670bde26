"""Zimao: software for China's Pilot Free Trade Zone reform loop."""
