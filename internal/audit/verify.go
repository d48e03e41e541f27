package audit

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/gatehouse-iam/gatehouse/internal/store"
)

// Break is the first broken link found in a chain.
type Break struct {
	TenantID string
	RecordID string // "" when the break is past the last record (the head)
	Seq      int64  // the position in the chain where the break shows
	// Field is what disagrees: "seq" (a record is missing), "prev_hash"
	// (the link to the previous record), "hash" (the record's own content)
	// or "head" (the chain head does not match the last record: records
	// were cut off the end).
	Field    string
	Expected string
	Found    string
}

func (b *Break) String() string {
	id := b.RecordID
	if id == "" {
		id = "-"
	}
	return fmt.Sprintf("tenant %s: chain broken at position %d (record %s): %s expected %s, found %s",
		b.TenantID, b.Seq, id, b.Field, b.Expected, b.Found)
}

// Report is the outcome of Verify.
type Report struct {
	Chains  int
	Records int64
	Break   *Break // nil when every chain is intact
}

// verifyBatch bounds the records held in memory while walking a chain.
const verifyBatch = 1000

// Verify walks every audit chain in s, recomputing each record's hash and
// checking its link to the previous record, and stops at the first break.
func Verify(ctx context.Context, s store.Store) (Report, error) {
	heads, err := s.Audit().Heads(ctx)
	if err != nil {
		return Report{}, err
	}
	var rep Report
	for _, h := range heads {
		rep.Chains++
		n, br, err := verifyChain(ctx, s, h)
		rep.Records += n
		if err != nil || br != nil {
			rep.Break = br
			return rep, err
		}
	}
	return rep, nil
}

func verifyChain(ctx context.Context, s store.Store, head store.AuditHead) (int64, *Break, error) {
	var (
		seq    int64
		prev   []byte
		lastID string
	)
	for {
		recs, err := s.Audit().Chain(ctx, head.TenantID, seq, verifyBatch)
		if err != nil {
			return seq, nil, err
		}
		for i := range recs {
			r := &recs[i]
			br := &Break{TenantID: head.TenantID, RecordID: r.ID, Seq: seq + 1}
			switch {
			case r.Seq != seq+1:
				br.Field, br.Expected, br.Found = "seq", strconv.FormatInt(seq+1, 10), strconv.FormatInt(r.Seq, 10)
			case !bytes.Equal(r.PrevHash, prev):
				br.Field, br.Expected, br.Found = "prev_hash", hexOr(prev), hexOr(r.PrevHash)
			case !bytes.Equal(r.Hash, r.ChainHash()):
				br.Field, br.Expected, br.Found = "hash", hexOr(r.ChainHash()), hexOr(r.Hash)
			default:
				seq, prev, lastID = r.Seq, r.Hash, r.ID
				continue
			}
			return seq, br, nil
		}
		if len(recs) < verifyBatch {
			break
		}
	}
	if head.Seq != seq || !bytes.Equal(head.Hash, prev) {
		return seq, &Break{TenantID: head.TenantID, RecordID: lastID, Seq: seq, Field: "head",
			Expected: fmt.Sprintf("%d/%s", head.Seq, hexOr(head.Hash)), Found: fmt.Sprintf("%d/%s", seq, hexOr(prev))}, nil
	}
	return seq, nil, nil
}

func hexOr(b []byte) string {
	if len(b) == 0 {
		return "(none)"
	}
	return hex.EncodeToString(b)
}
