package audit

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
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
	// were cut off the end), or "checkpoint" (the chain starts at a
	// retention checkpoint that no audit.purged event in it vouches for).
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

// EventPurged records a retention purge in the chain it purged: data
// through_seq and through_hash (hex) name the last purged record, and the
// checkpoint the chain now starts from must match it.
const EventPurged = "audit.purged"

func verifyChain(ctx context.Context, s store.Store, head store.AuditHead) (int64, *Break, error) {
	var (
		seq    int64
		prev   []byte
		lastID string
	)
	// A purged chain starts after its checkpoint: the checkpoint's hash is
	// the prev_hash of the first record kept, and the audit.purged event
	// that made it must still be in the chain, naming the same position.
	cp, err := s.Audit().Checkpoint(ctx, head.TenantID)
	switch {
	case err == nil:
		seq, prev = cp.Seq, cp.Hash
	case errors.Is(err, store.ErrNotFound):
		cp = nil
	default:
		return 0, nil, err
	}
	vouched := cp == nil
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
				if cp != nil && r.ID == cp.EventID && r.Type == EventPurged {
					vouched = vouches(r, cp)
				}
				seq, prev, lastID = r.Seq, r.Hash, r.ID
				continue
			}
			return seq, br, nil
		}
		if len(recs) < verifyBatch {
			break
		}
	}
	if !vouched {
		return seq, &Break{TenantID: head.TenantID, RecordID: cp.EventID, Seq: cp.Seq, Field: "checkpoint",
			Expected: fmt.Sprintf("an %s event for %d/%s", EventPurged, cp.Seq, hexOr(cp.Hash)), Found: "none"}, nil
	}
	if head.Seq != seq || !bytes.Equal(head.Hash, prev) {
		return seq, &Break{TenantID: head.TenantID, RecordID: lastID, Seq: seq, Field: "head",
			Expected: fmt.Sprintf("%d/%s", head.Seq, hexOr(head.Hash)), Found: fmt.Sprintf("%d/%s", seq, hexOr(prev))}, nil
	}
	return seq, nil, nil
}

// vouches reports whether an audit.purged record names the checkpoint.
func vouches(r *store.AuditRecord, cp *store.AuditCheckpoint) bool {
	var d struct {
		Seq  int64  `json:"through_seq"`
		Hash string `json:"through_hash"`
	}
	return json.Unmarshal([]byte(r.Data), &d) == nil && d.Seq == cp.Seq && d.Hash == hex.EncodeToString(cp.Hash)
}

func hexOr(b []byte) string {
	if len(b) == 0 {
		return "(none)"
	}
	return hex.EncodeToString(b)
}
