package restapi

import (
	"encoding/base64"
	"errors"
	"regexp"
	"strings"

	"github.com/oapi-codegen/nullable"
)

// Cursors are opaque to clients: base64url("c1:" + last ID). The version
// prefix lets the format change later; the ID charset check keeps a forged
// cursor from reaching the store as anything but a plain key.
const cursorPrefix = "c1:"

var cursorIDRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

var errCursor = errors.New("malformed cursor: pass next_cursor from the previous page unchanged")

// EncodeCursor makes the cursor that resumes after id.
func EncodeCursor(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + id))
}

// DecodeCursor returns the ID a cursor resumes after.
func DecodeCursor(c string) (string, error) {
	if len(c) == 0 || len(c) > 128 {
		return "", errCursor
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(c)
	if err != nil {
		return "", errCursor
	}
	id, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok || !cursorIDRe.MatchString(id) {
		return "", errCursor
	}
	return id, nil
}

// NextCursor is the wire form of a store's next key: null on the last page.
func NextCursor(next string) nullable.Nullable[string] {
	if next == "" {
		return nullable.NewNullNullable[string]()
	}
	return nullable.NewNullableWithValue(EncodeCursor(next))
}
