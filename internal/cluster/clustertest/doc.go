// Package clustertest runs Gatehouse as a deployment runs it: three
// `gatehouse serve` processes on one PostgreSQL (and Redis, when
// GATEHOUSE_TEST_REDIS_URL is set) behind a round-robin proxy, under a
// mixed load, with one node killed midway. It has only tests; they need
// GATEHOUSE_TEST_POSTGRES_DSN (skipped without it, failed in CI).
package clustertest
