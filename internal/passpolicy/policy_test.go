package passpolicy

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gatehouse-iam/gatehouse/internal/password"
)

func codes(vs []Violation) []Code {
	var cs []Code
	for _, v := range vs {
		cs = append(cs, v.Code)
	}
	return cs
}

func TestCheck(t *testing.T) {
	p := Default()
	alice := Context{Email: "alice.liddell+promo@example.org", Username: "wonderland", Name: "Alice Liddell"}
	tests := []struct {
		name string
		pw   string
		ctx  Context
		want []Code
	}{
		{"empty", "", Context{}, []Code{CodeTooShort}},
		{"seven characters", "xq7#vbw", Context{}, []Code{CodeTooShort}},
		{"exactly the minimum", "xq7#vbwz", Context{}, nil},
		{"no composition rules: lower case only", "correct horse battery staple", Context{}, nil},
		{"spaces are characters", "tr  ee  ", Context{}, nil},
		{"exactly the maximum", strings.Repeat("xq7", 341) + "z", Context{}, nil},
		{"one over the maximum", strings.Repeat("xq7", 341) + "zz", Context{}, []Code{CodeTooLong}},
		{"over the hasher's byte cap", strings.Repeat("x", password.MaxPasswordLen+1), Context{}, []Code{CodeTooLong}},
		{"64 multi-byte characters", strings.Repeat("é", 64), Context{}, nil},
		{"emoji", "🦊🦉🐙🦋🐝🦀🐌🐢", Context{}, nil},
		// U+FB01 LATIN SMALL LIGATURE FI is one code point that NFKC turns
		// into two: "ﬁ" + 6 = 8 after normalisation, 7 as typed.
		{"NFKC expands a ligature to reach the minimum", "ﬁxq7#vb", Context{}, nil},
		// e + U+0301 COMBINING ACUTE composes to é: 8 code points as typed,
		// 7 after NFKC.
		{"NFKC composes combining marks", "e\u0301xq7#vb", Context{}, []Code{CodeTooShort}},
		{"composed counterpart", "e\u0301xq7#vbz", Context{}, nil},
		{"invalid UTF-8", "xq7#vbwz\xff", Context{}, []Code{CodeInvalidUTF8}},
		{"tab", "xq7#\tvbwz", Context{}, []Code{CodeControlCharacters}},
		{"newline", "xq7#vbwz\n", Context{}, []Code{CodeControlCharacters}},
		{"NUL", "xq7#vb\x00wz", Context{}, []Code{CodeControlCharacters}},
		{"C1 control", "xq7#vb\u0085wz", Context{}, []Code{CodeControlCharacters}},
		{"zero-width joiner in emoji is allowed", "👩\u200d💻xq7#vbw", Context{}, nil},
		{"breached", "password", Context{}, []Code{CodeBreached}},
		{"breached, other case", "PassWord", Context{}, []Code{CodeBreached}},
		{"breached and short", "123456", Context{}, []Code{CodeTooShort, CodeBreached}},
		{"breached via NFKC (fullwidth)", "ｐａｓｓｗｏｒｄ", Context{}, []Code{CodeBreached}},
		{"full email", "x!alice.liddell+promo@example.org", alice, []Code{CodeContainsIdentifier}},
		{"email local part", "ALICE.LIDDELL+promo99", alice, []Code{CodeContainsIdentifier}},
		{"local part before +tag", "xx-alice.liddell-xx", alice, []Code{CodeContainsIdentifier}},
		{"username, case-insensitive", "my-WonderLand-7", alice, []Code{CodeContainsIdentifier}},
		{"username via NFKC", "my-ｗｏｎｄｅｒｌａｎｄ-7", alice, []Code{CodeContainsIdentifier}},
		{"name", "x alice liddell x", alice, []Code{CodeContainsIdentifier}},
		{"name without spaces", "xaliceliddellx", alice, []Code{CodeContainsIdentifier}},
		{"unrelated to the account", "through the looking-glass", alice, nil},
		{"context word", "my gatehouse pw!", Context{Words: []string{"Gatehouse"}}, []Code{CodeContainsIdentifier}},
		{"short username ignored", "xq7#albz", Context{Username: "al", Email: "al@x.io"}, nil},
		{"short local part ignored, full email checked", "xq7#al@x.iobz", Context{Email: "al@x.io"}, []Code{CodeContainsIdentifier}},
		{"short, breached and identifier", "alice", Context{Username: "alice"}, []Code{CodeTooShort, CodeBreached, CodeContainsIdentifier}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.Check(context.Background(), tt.pw, tt.ctx)
			if !slices.Equal(codes(got), tt.want) {
				t.Fatalf("Check = %v, want %v", codes(got), tt.want)
			}
			for _, v := range got {
				if v.Message == "" {
					t.Errorf("%s: empty message", v.Code)
				}
				// ("password" itself is a word the messages may use.)
				lower := strings.ToLower(tt.pw)
				if len(tt.pw) >= 3 && lower != "password" && strings.Contains(strings.ToLower(v.Message), lower) {
					t.Errorf("%s: message quotes the password", v.Code)
				}
			}
		})
	}
}

func TestLimitsInViolations(t *testing.T) {
	p := &Policy{MinLength: 12, MaxLength: 64}
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	vs := p.Check(context.Background(), "xq7#vbwz", Context{})
	if len(vs) != 1 || vs[0].Code != CodeTooShort || vs[0].Limit != 12 || !strings.Contains(vs[0].Message, "12") {
		t.Fatalf("short: %+v", vs)
	}
	vs = p.Check(context.Background(), strings.Repeat("é", 65), Context{})
	if len(vs) != 1 || vs[0].Code != CodeTooLong || vs[0].Limit != 64 {
		t.Fatalf("long: %+v", vs)
	}
	if vs := p.Check(context.Background(), strings.Repeat("é", 64), Context{}); vs != nil {
		t.Fatalf("64 code points: %+v", vs)
	}
}

func TestZeroPolicyUsesDefaultLengths(t *testing.T) {
	var p Policy
	if err := p.Validate(); err != nil {
		t.Fatal(err)
	}
	if vs := p.Check(context.Background(), "1234567", Context{}); !slices.Equal(codes(vs), []Code{CodeTooShort}) {
		t.Fatalf("got %v", codes(vs))
	}
	// No Breached list: common passwords pass the length check alone.
	if vs := p.Check(context.Background(), "password", Context{}); vs != nil {
		t.Fatalf("got %v", codes(vs))
	}
}

func TestValidate(t *testing.T) {
	for _, p := range []Policy{
		{MinLength: -1},
		{MaxLength: 63},
		{MinLength: 100, MaxLength: 80},
		{MaxLength: password.MaxPasswordLen/utf8.UTFMax + 1},
	} {
		if err := p.Validate(); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("Default: %v", err)
	}
}

// Every password Default accepts must also be hashable.
func TestAcceptedPasswordsHash(t *testing.T) {
	h := &password.Hasher{Params: password.Params{Memory: 8, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 16}}
	pw := strings.Repeat("\U0001F98A", DefaultMaxLength) // 4 bytes each: exactly the byte cap
	if vs := Default().Check(context.Background(), pw, Context{}); vs != nil {
		t.Fatalf("Check = %v", codes(vs))
	}
	if _, err := h.Hash(pw); err != nil {
		t.Fatalf("Hash: %v", err)
	}
}

func BenchmarkCheck(b *testing.B) {
	p := Default()
	c := Context{Email: "alice.liddell@example.org", Username: "wonderland", Name: "Alice Liddell"}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if vs := p.Check(ctx, "correct horse battery staple", c); vs != nil {
			b.Fatal(vs)
		}
	}
}
