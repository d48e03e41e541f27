package cli

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/gatehouse-iam/gatehouse/internal/httpx"
	"github.com/gatehouse-iam/gatehouse/internal/mock"
	"github.com/gatehouse-iam/gatehouse/internal/server"
)

func (e *env) mockCmd() *cobra.Command {
	var addr, spec string
	var quiet bool
	cmd := &cobra.Command{
		Use:   "mock",
		Short: "Serve the API contract from its examples, without a database",
		Long: `Serve every operation of the API contract (api/openapi.yaml, built in) from its
examples, for developing and testing clients without a Gatehouse.

Requests are validated against the contract as the server validates them
(400 problem+json on invalid input); operations that need a bearer token
answer 401 without one (any token is accepted). A valid request gets the
operation's first success example. Choose another documented response with
the Prefer header (RFC 7240):

  Prefer: code=404            the operation's 404 response
  Prefer: example=mfa_required  the example of that name
  Prefer: code=201, example=spa

Nothing is stored: a POST does not change what a later GET returns.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			log := httpx.NewLogger(e.stderr, "text", slog.LevelInfo)
			if quiet {
				log = httpx.NewLogger(e.stderr, "text", slog.LevelWarn)
			}
			var contract []byte
			if spec != "" {
				b, err := os.ReadFile(spec)
				if err != nil {
					return fmt.Errorf("--spec: %w", err)
				}
				contract = b
			}
			m, err := mock.New(mock.Options{Spec: contract, Log: log})
			if err != nil {
				return err
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("--addr %q: %w", addr, err)
			}
			defer ln.Close()
			fmt.Fprintf(e.stdout, "gatehouse mock: %d operations of %s %s on http://%s (reference at /docs)\n",
				m.Operations, m.Title, m.Version, ln.Addr())
			return server.Serve(cmd.Context(), ln, m, 5*time.Second, log)
		},
	}
	// --addr shadows the server's persistent flag: the mock has its own
	// default, so it can run next to a Gatehouse on 8080.
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:4010", "listen address (host:port)")
	cmd.Flags().StringVar(&spec, "spec", "", "serve this contract file instead of the built-in api/openapi.yaml")
	cmd.Flags().BoolVar(&quiet, "quiet", false, "do not log each request")
	return cmd
}
