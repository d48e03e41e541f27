package ldap

import "testing"

func TestSubject(t *testing.T) {
	guid := []byte{0x67, 0x45, 0x23, 0x01, 0xab, 0x89, 0xef, 0xcd, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef}
	for _, tc := range []struct {
		attr string
		raw  []byte
		want string
	}{
		{"objectGUID", guid, "01234567-89ab-cdef-0123-456789abcdef"},
		{"objectguid", guid, "01234567-89ab-cdef-0123-456789abcdef"},
		{"entryUUID", []byte("0b5fcd8e-1c2a-103f-9b1e-7f1c9d2f4a11"), "0b5fcd8e-1c2a-103f-9b1e-7f1c9d2f4a11"},
		{"customID", []byte{0xff, 0x00, 0x01}, "ff0001"},
		{"entryUUID", nil, ""},
	} {
		if got := subject(tc.attr, tc.raw); got != tc.want {
			t.Errorf("subject(%s, %x) = %q, want %q", tc.attr, tc.raw, got, tc.want)
		}
	}
}
