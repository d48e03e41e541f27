package mailtest

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"strings"
)

// maxDepth bounds nested multiparts.
const maxDepth = 5

// parse reads a received message: headers with net/mail, bodies with
// mime/multipart, transfer encodings (quoted-printable, base64) by hand so
// every part is decoded the same way. Only UTF-8 and US-ASCII bodies are
// expected; Gatehouse sends nothing else.
func parse(raw []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return Message{}, fmt.Errorf("headers: %w", err)
	}
	m := Message{Raw: raw, Header: map[string][]string(msg.Header)}
	dec := new(mime.WordDecoder)
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 {
		return Message{}, fmt.Errorf("from header: want one address: %v", err)
	}
	m.From, m.FromName = from[0].Address, from[0].Name
	to, err := msg.Header.AddressList("To")
	if err != nil {
		return Message{}, fmt.Errorf("to header: %w", err)
	}
	for _, a := range to {
		m.To = append(m.To, a.Address)
	}
	if err := walk(&m, mailHeader(msg.Header), msg.Body, 0); err != nil {
		return Message{}, err
	}
	return m, nil
}

// header is what walk needs of a part's header.
type header interface{ Get(string) string }

type mailHeader mail.Header

func (h mailHeader) Get(k string) string { return mail.Header(h).Get(k) }

func walk(m *Message, h header, body io.Reader, depth int) error {
	if depth > maxDepth {
		return errors.New("multipart nested too deeply")
	}
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("Content-Type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		boundary := params["boundary"]
		if boundary == "" {
			return fmt.Errorf("%s without boundary", mediaType)
		}
		mr := multipart.NewReader(body, boundary)
		for {
			// NextRawPart: NextPart would decode quoted-printable itself
			// and hide the header; decode() handles every encoding alike.
			p, err := mr.NextRawPart()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return fmt.Errorf("%s: %w", mediaType, err)
			}
			if err := walk(m, p.Header, p, depth+1); err != nil {
				return err
			}
		}
	}
	if cs := strings.ToLower(params["charset"]); cs != "" && cs != "utf-8" && cs != "us-ascii" {
		return fmt.Errorf("charset %q not supported", cs)
	}
	data, err := decode(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return fmt.Errorf("%s: %w", mediaType, err)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch mediaType {
	case "text/plain":
		if m.Text == "" {
			m.Text = text
		}
	case "text/html":
		if m.HTML == "" {
			m.HTML = text
		}
	}
	return nil
}

func decode(cte string, r io.Reader) ([]byte, error) {
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "", "7bit", "8bit", "binary":
		return io.ReadAll(r)
	case "quoted-printable":
		return io.ReadAll(quotedprintable.NewReader(r))
	case "base64":
		return io.ReadAll(base64.NewDecoder(base64.StdEncoding, r))
	default:
		return nil, fmt.Errorf("Content-Transfer-Encoding %q not supported", cte)
	}
}
