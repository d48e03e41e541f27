package secret

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// LoadOrCreateKeyFile is for development mode, when GATEHOUSE_SECRET_KEY is
// not set. If path exists, its content is parsed with ParseMasterKey (so an
// operator may also put a hex key or passphrase there). Otherwise it
// creates the parent directory (0700) and writes 32 random bytes as
// base64 with mode 0600, and reports created.
//
// The file is written under a temporary name and hard-linked into place,
// so a concurrent process or a crash never sees a partial key, and a key
// that already exists is never overwritten.
func LoadOrCreateKeyFile(path string) (key []byte, created bool, err error) {
	key, err = readKeyFile(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return key, false, err
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, false, fmt.Errorf("secret: key file: %w", err)
	}
	key = make([]byte, MinKeyLen)
	rand.Read(key)

	tmp, err := os.CreateTemp(dir, ".gatehouse-key-*") // mode 0600
	if err != nil {
		return nil, false, fmt.Errorf("secret: key file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(base64.StdEncoding.EncodeToString(key) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, false, fmt.Errorf("secret: key file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			// Another process won the race; use its key.
			key, err = readKeyFile(path)
			return key, false, err
		}
		return nil, false, fmt.Errorf("secret: key file: %w", err)
	}
	return key, true, nil
}

func readKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret: key file: %w", err) // callers test fs.ErrNotExist
	}
	key, err := ParseMasterKey(string(b))
	if err != nil {
		return nil, fmt.Errorf("secret: key file %s: %w", path, err)
	}
	return key, nil
}
