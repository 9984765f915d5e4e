"""IIIF Presentation 3 doors (docs/open_doors.md, "IIIF"): a manifest per public record, a
collection per curated collection, and a level-0 image service over the web copies the
media pipeline already makes. Built for an anonymous visitor whoever asks."""
