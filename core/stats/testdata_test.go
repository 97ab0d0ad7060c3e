package stats

import (
	"encoding/json"
	"math"
	"os"
	"sync"
	"testing"
)

// Reference files in testdata/ (the tests need neither Python nor ../shared):
//
//   - oracle_cases.json: every interval the oracle computed for
//     ../shared/oracle/cases/*, with its inputs. Written by testdata/gen_oracle.py,
//     which runs oracle.py (scipy 1.10.1, statsmodels 0.13.5, Debian bookworm) and
//     checks that its output equals the stored *.expected.json.
//   - scipy_ref.json: scipy/statsmodels values on synthetic inputs, written by
//     testdata/gen_scipy.py; each section's "call" names the exact call.

type lohi struct {
	Lo *float64 `json:"lo"`
	Hi *float64 `json:"hi"`
}

type oracleCases struct {
	Proportion []struct {
		K, N int
		Conf float64
		CI   lohi
		Alt  map[string]lohi
	}
	NPS []struct {
		P, Pa, D int
		Conf     float64
		CI       struct {
			Lo, Hi, Center, SE float64
			NAdj               float64 `json:"n_adj"`
			UnclippedLo        float64 `json:"unclipped_lo"`
			UnclippedHi        float64 `json:"unclipped_hi"`
		}
		Alt map[string]struct {
			Lo, Hi    *float64
			SE        *float64
			Tolerance *float64
		}
		ScoresMean *float64 `json:"scores_mean"`
		ScoresSD   *float64 `json:"scores_sd"`
		Boot       *bootSpec
	}
	NPSDiff []struct {
		A, B [3]int
		Conf float64
		Out  struct {
			CI struct{ Lo, Hi, Center, SE float64 }
			P  *float64 `json:"p_value"`
		}
	} `json:"nps_diff"`
	PropDiff []struct {
		K1, N1, K2, N2 int
		Conf           float64
		CI             lohi
		Alt            map[string]lohi
	} `json:"prop_diff"`
	MeanDiff []struct {
		NA    int     `json:"na"`
		MeanA float64 `json:"mean_a"`
		VarA  float64 `json:"var_a"`
		NB    int     `json:"nb"`
		MeanB float64 `json:"mean_b"`
		VarB  float64 `json:"var_b"`
		Conf  float64
		CI    lohi
	} `json:"mean_diff"`
	Mean []struct {
		N        int
		Mean, SD float64
		Conf     float64
		T        struct {
			TCrit       float64 `json:"t_crit"`
			SE          float64
			UnclippedLo float64 `json:"unclipped_lo"`
			UnclippedHi float64 `json:"unclipped_hi"`
		}
		BCa   *struct{ Lo, Hi, Tolerance *float64 } `json:"bca"`
		Boot  *bootSpec
		HistV []float64 `json:"hist_v"`
		HistC []int64   `json:"hist_c"`
		Raw   []float64
	}
	Median []struct {
		Sorted []float64
		Conf   float64
		Value  float64
		CI     struct {
			Lo, Hi           *float64
			RankLo           int     `json:"rank_lo"`
			RankHi           int     `json:"rank_hi"`
			AchievedCoverage float64 `json:"achieved_coverage"`
		}
		Alt struct {
			HS *lohi `json:"hettmansperger_sheather"`
		}
	}
	Garwood []struct {
		K    int64
		Conf float64
		CI   struct{ Lo, Hi float64 }
	}
}

type bootSpec struct {
	NResamples int    `json:"n_resamples"`
	Seed       uint64 `json:"seed"`
}

type scipyRef struct {
	Z          struct{ Cases [][2]float64 }
	TCrit      struct{ Cases [][3]float64 }
	Proportion struct {
		Cases []struct {
			K, N             int
			Conf             float64
			Wilson, Jeffreys [2]float64
			AgrestiCoull     [2]float64 `json:"agresti_coull"`
			ClopperPearson   [2]float64 `json:"clopper_pearson"`
			Wald             [2]float64
		}
	}
	Garwood  struct{ Cases [][4]float64 }
	PropDiff struct {
		Cases []struct {
			K1, N1, K2, N2 int
			Conf           float64
			Newcomb, Wald  [2]float64
			ScoreP         *float64 `json:"score_p"`
			PooledZP       *float64 `json:"pooled_z_p"`
		}
	} `json:"prop_diff"`
	Welch struct {
		Cases []struct {
			NA    int     `json:"na"`
			MeanA float64 `json:"mean_a"`
			VarA  float64 `json:"var_a"`
			NB    int     `json:"nb"`
			MeanB float64 `json:"mean_b"`
			VarB  float64 `json:"var_b"`
			Conf  float64
			CI    [2]float64
			DF, P float64
		}
	}
	TMean struct {
		Cases []struct {
			N              int
			Mean, SD, Conf float64
			CI             [2]float64
		}
	}
	Median struct {
		Cases []struct {
			Sorted    []float64
			Conf      float64
			Median    float64
			OrderStat []float64 `json:"order_stat"`
			HS        []float64 `json:"hs"`
		}
	}
	BinomPPF struct {
		Cases []struct {
			Q float64
			K []int
		}
	} `json:"binom_ppf"`
	Holm struct {
		Cases []struct{ P, Adj []float64 }
	}
	BootGiven struct {
		Cases []struct {
			X      []float64
			Conf   float64
			Method string
			ThetaB []float64 `json:"theta_b"`
			CI     [2]*float64
		}
	} `json:"bootstrap_given_distribution"`
	Percentile struct {
		A     []float64
		Cases [][2]float64
	}
	NPS struct {
		Cases []struct {
			P, D, N int
			Conf    float64
			Tango   [2]float64
			Adj     struct {
				Center, SE, Var float64
				NAdj            float64 `json:"n_adj"`
				Lo, Hi          float64
			}
		}
	}
}

var (
	loadOnce sync.Once
	oracle   oracleCases
	scipy    scipyRef
	loadErr  error
)

func refs(t testing.TB) (*oracleCases, *scipyRef) {
	t.Helper()
	loadOnce.Do(func() {
		for path, dst := range map[string]any{"testdata/oracle_cases.json": &oracle, "testdata/scipy_ref.json": &scipy} {
			b, err := os.ReadFile(path)
			if err != nil {
				loadErr = err
				return
			}
			if err := json.Unmarshal(b, dst); err != nil {
				loadErr = err
				return
			}
		}
	})
	if loadErr != nil {
		t.Fatal(loadErr)
	}
	return &oracle, &scipy
}

// near reports whether |got − want| ≤ tol; NaN matches NaN.
func near(got, want, tol float64) bool {
	if math.IsNaN(want) || math.IsNaN(got) {
		return math.IsNaN(want) && math.IsNaN(got)
	}
	return math.Abs(got-want) <= tol
}

func checkNear(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if !near(got, want, tol) {
		t.Errorf("%s = %.17g, want %.17g (diff %.3g, tol %.3g)", what, got, want, got-want, tol)
	}
}

func checkInterval(t *testing.T, what string, got, want Interval, tol float64) {
	t.Helper()
	checkNear(t, what+".Lo", got.Lo, want.Lo, tol)
	checkNear(t, what+".Hi", got.Hi, want.Hi, tol)
}

func deref(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}
