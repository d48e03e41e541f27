package sqlite

// SetSearchCandidates lowers the user search's index probe bound, so a
// test reaches the walk for common terms with a handful of users.
func SetSearchCandidates(n int) (restore func()) {
	old := searchCandidates
	searchCandidates = n
	return func() { searchCandidates = old }
}
