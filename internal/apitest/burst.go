package apitest

import (
	"io"
	"net/http"
	"sync"
	"testing"
)

// Burst sends reqs through c all at once (every request waits for a
// common start) and counts the answers by status: the shape of a race
// test against the running server. A failed round trip fails the test.
func Burst(t testing.TB, c *http.Client, reqs []*http.Request) map[int]int {
	t.Helper()
	var (
		wg       sync.WaitGroup
		mu       sync.Mutex
		statuses = map[int]int{}
		start    = make(chan struct{})
	)
	for _, req := range reqs {
		wg.Go(func() {
			<-start
			res, err := c.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
			mu.Lock()
			statuses[res.StatusCode]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return statuses
}
