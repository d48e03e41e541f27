// Command gatehouse is the Gatehouse identity server and its admin CLI.
package main

import (
	"os"

	"github.com/gatehouse-iam/gatehouse/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}
