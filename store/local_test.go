package store_test

import (
	"testing"

	"github.com/lifeboat-backup/lifeboat/store"
	"github.com/lifeboat-backup/lifeboat/store/storetest"
)

func TestLocalConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return store.NewLocal(t.TempDir()) })
}
