package bwrap

import (
	"testing"

	"github.com/procjail/procjail/internal/testutil"
)

func TestMain(m *testing.M) { testutil.Main(m) }
