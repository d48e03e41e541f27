// Command pprofserve is cmd/gatehouse with net/http/pprof on a second,
// loopback-only listener (GATEHOUSE_PPROF_ADDR, default 127.0.0.1:6060),
// so bench/run.sh can profile the real server under load without a
// profiling endpoint in the product. PROFILE=dir bench/run.sh uses it.
package main

import (
	"fmt"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof on http.DefaultServeMux
	"os"

	"github.com/gatehouse-iam/gatehouse/internal/cli"
)

func main() {
	addr := os.Getenv("GATEHOUSE_PPROF_ADDR")
	if addr == "" {
		addr = "127.0.0.1:6060"
	}
	go func() {
		if err := http.ListenAndServe(addr, nil); err != nil {
			fmt.Fprintln(os.Stderr, "pprofserve:", err)
		}
	}()
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
