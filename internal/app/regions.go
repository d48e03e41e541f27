package app

import (
	"context"
	"fmt"

	"github.com/gatehouse-iam/gatehouse/internal/config"
	"github.com/gatehouse-iam/gatehouse/internal/secret"
	"github.com/gatehouse-iam/gatehouse/internal/store/regional"
	"github.com/gatehouse-iam/gatehouse/internal/store/storeopen"
)

// directoryPurpose keys the user directory's hashes of identifiers. It is
// a carried keyring purpose: a master-key rotation must not orphan users.
const directoryPurpose = "user-directory"

// openRegions opens (and with opts.Migrate migrates) each regional
// database of GATEHOUSE_REGIONS and routes users' data to them.
func openRegions(ctx context.Context, cfg *config.Config, opts Options, keyring *secret.Keyring, main storeopen.DB) (*regional.Router, error) {
	var regions []regional.Region
	closeAll := func() {
		for _, r := range regions {
			_ = r.Store.Close()
		}
	}
	for _, r := range cfg.Regions {
		if r.Database == cfg.Database {
			closeAll()
			return nil, fmt.Errorf("region %s: its database is the main database (GATEHOUSE_DATABASE)", r.Name)
		}
		db, err := storeopen.Open(ctx, r.Database, storeopen.Options{AutoMigrate: opts.Migrate})
		if err != nil {
			closeAll()
			return nil, fmt.Errorf("open region %s: %w", r.Name, err)
		}
		regions = append(regions, regional.Region{Name: r.Name, Store: db})
	}
	router, err := regional.New(main, regions, cfg.DefaultRegion, func(b []byte) []byte { return keyring.MAC(directoryPurpose, b) })
	if err != nil {
		closeAll()
		return nil, err
	}
	return router, nil
}
