// Package layers holds no code: its test checks that dependencies point
// down the layers drawn in docs/architecture.md (transport → services →
// domain, store beside the services), so a shortcut fails CI instead of
// growing quietly.
package layers
