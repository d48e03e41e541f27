package riskpolicy

import (
	"slices"
	"time"
)

// Caps on what one user's history remembers; the least recently seen
// entry goes first, so a flood of new devices cannot grow a row.
const (
	MaxDevices   = 20
	MaxCountries = 20
	MaxNetworks  = 50
	MaxLocks     = 20
)

// Seen is one remembered device ID, country code or network key.
type Seen struct {
	Value string    `json:"v"`
	First time.Time `json:"first"`
	Last  time.Time `json:"last"`
	Count int64     `json:"n"`
}

// Place is where and when a sign-in happened.
type Place struct {
	At        time.Time `json:"at"`
	IP        string    `json:"ip,omitempty"`
	Country   string    `json:"country,omitempty"`
	Lat       float64   `json:"lat,omitempty"`
	Lon       float64   `json:"lon,omitempty"`
	HasCoords bool      `json:"geo,omitempty"`
	Factor    string    `json:"factor,omitempty"`
}

// PairLock records that a source was locked out of the account, for the
// risk summary (the lock itself lives in the shared counters).
type PairLock struct {
	Source string    `json:"source"`
	Until  time.Time `json:"until"`
}

// History is what Gatehouse remembers about a user's successful sign-ins.
type History struct {
	Devices   []Seen `json:"devices,omitempty"`
	Countries []Seen `json:"countries,omitempty"`
	Networks  []Seen `json:"networks,omitempty"`
	// Hours is a bit set of the UTC hours (bit h for hour h) in which the
	// user has signed in.
	Hours     uint32 `json:"hours,omitempty"`
	Successes int64  `json:"successes,omitempty"`
	// Last is the last successful sign-in, nil before the first.
	Last  *Place     `json:"last,omitempty"`
	Locks []PairLock `json:"locks,omitempty"`
}

// Empty reports whether the user never signed in successfully, so there is
// nothing to compare an attempt with.
func (h *History) Empty() bool { return h == nil || h.Successes == 0 }

// KnowsDevice reports whether the device ID is one the user signed in from.
func (h *History) KnowsDevice(id string) bool {
	return h != nil && id != "" && find(h.Devices, id) >= 0
}

// KnowsCountry reports whether the user signed in from country before.
func (h *History) KnowsCountry(c string) bool {
	return h != nil && c != "" && find(h.Countries, c) >= 0
}

// KnowsNetwork reports whether the user signed in from the network before.
func (h *History) KnowsNetwork(key string) bool {
	return h != nil && key != "" && find(h.Networks, key) >= 0
}

// UsualHour reports whether the user signed in during t's UTC hour before.
func (h *History) UsualHour(t time.Time) bool {
	return h != nil && h.Hours&(1<<uint(t.UTC().Hour())) != 0
}

func find(list []Seen, v string) int {
	return slices.IndexFunc(list, func(s Seen) bool { return s.Value == v })
}

func (h *History) remember(list *[]Seen, v string, now time.Time, max int) {
	if v == "" {
		return
	}
	if i := find(*list, v); i >= 0 {
		(*list)[i].Last = now
		(*list)[i].Count++
		return
	}
	if len(*list) >= max {
		oldest := 0
		for i, s := range *list {
			if s.Last.Before((*list)[oldest].Last) {
				oldest = i
			}
		}
		*list = slices.Delete(*list, oldest, oldest+1)
	}
	*list = append(*list, Seen{Value: v, First: now, Last: now, Count: 1})
}

// RecordSuccess adds a successful sign-in at p from device (may be "") in
// network (may be "").
func (h *History) RecordSuccess(p Place, device, network string) {
	h.remember(&h.Devices, device, p.At, MaxDevices)
	h.remember(&h.Countries, p.Country, p.At, MaxCountries)
	h.remember(&h.Networks, network, p.At, MaxNetworks)
	h.Hours |= 1 << uint(p.At.UTC().Hour())
	h.Successes++
	last := p
	h.Last = &last
	h.PruneLocks(p.At)
}

// RecordLock remembers a source lock until until (replacing an older one
// of the same source).
func (h *History) RecordLock(source string, until, now time.Time) {
	h.PruneLocks(now)
	h.Locks = slices.DeleteFunc(h.Locks, func(l PairLock) bool { return l.Source == source })
	if len(h.Locks) >= MaxLocks {
		h.Locks = h.Locks[1:]
	}
	h.Locks = append(h.Locks, PairLock{Source: source, Until: until})
}

// PruneLocks forgets locks that have ended.
func (h *History) PruneLocks(now time.Time) {
	h.Locks = slices.DeleteFunc(h.Locks, func(l PairLock) bool { return !l.Until.After(now) })
	if len(h.Locks) == 0 {
		h.Locks = nil
	}
}
