package stats

import (
	"math"
	"math/bits"
	"math/rand/v2"
)

// pcgStream is the fixed second word of the PCG state: the bootstrap's
// generator is rand.NewPCG(seed, pcgStream).
const pcgStream = 0x5851f42d4c957f2d

// rng wraps math/rand/v2's PCG with the few draws the bootstrap needs. The
// concrete type (not rand.Rand's interface) lets the compiler inline Uint64
// in the resampling loop.
type rng struct{ src *rand.PCG }

func newRNG(seed uint64) rng { return rng{rand.NewPCG(seed, pcgStream)} }

// float64 returns a uniform value in [0, 1) with 53 random bits.
func (r rng) float64() float64 {
	return float64(r.src.Uint64()>>11) * 0x1p-53
}

// index returns a uniform integer in [0, n), n > 0, by Lemire's
// multiply-and-reject method (Lemire 2019, ACM TOMACS 29:3), which is unbiased
// and almost never needs a second draw.
func (r rng) index(n uint64) uint64 {
	hi, lo := bits.Mul64(r.src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(r.src.Uint64(), n)
		}
	}
	return hi
}

// index32 is the slow path of resampleMeans' two-per-draw index generator:
// it draws 32-bit uniforms u until the product u·n has its low 32 bits at or
// above thresh = 2³² mod n, and returns the product (index in the high half).
func (r rng) index32(n uint64, thresh uint32) uint64 {
	for {
		m := (r.src.Uint64() >> 32) * n
		if uint32(m) >= thresh {
			return m
		}
	}
}

// binomial returns a Binomial(n, p) variate. For n·min(p, 1−p) < 30 it uses
// inversion by sequential search (algorithm BINV), otherwise the BTPE
// triangle–parallelogram–exponential rejection sampler; both from
// Kachitvichyanukul & Schmeiser (1988) "Binomial random variate generation",
// Commun ACM 31:216, the pair numpy's Generator.binomial also uses. Both are
// exact up to floating-point rounding. p ≤ 0 gives 0 and p ≥ 1 gives n.
func (r rng) binomial(n int64, p float64) int64 {
	switch {
	case n <= 0 || p <= 0:
		return 0
	case p >= 1:
		return n
	}
	flip := p > 0.5
	if flip {
		p = 1 - p
	}
	var x int64
	if float64(n)*p < 30 {
		x = r.binomialInversion(n, p)
	} else {
		x = r.binomialBTPE(n, p)
	}
	if flip {
		return n - x
	}
	return x
}

// binomialInversion is BINV: walk the pmf from 0 with
// f(x)/f(x−1) = (n+1)s/x − s, s = p/(1−p), until the uniform is used up.
// Requires p ≤ ½ and n·p < 30, so (1−p)ⁿ ≥ e⁻⁶⁰ does not underflow. A draw that
// runs past n (possible only through rounding) is retried.
func (r rng) binomialInversion(n int64, p float64) int64 {
	q := 1 - p
	s := p / q
	a := float64(n+1) * s
	f0 := math.Exp(float64(n) * math.Log1p(-p))
	for {
		u := r.float64()
		f := f0
		var x int64
		for u > f {
			u -= f
			x++
			if x > n {
				break
			}
			f *= a/float64(x) - s
		}
		if x <= n {
			return x
		}
	}
}

// binomialBTPE is algorithm BTPE for p ≤ ½ and n·p ≥ 30. The proposal is a
// triangle over the centre, two parallelograms and two exponential tails; a
// proposal is accepted outright in the triangle, by a recursive evaluation of
// f(y)/f(M) near the mode, by the squeeze of step 5.2 or finally by the exact
// log-ratio with Stirling corrections (step 5.3).
func (r rng) binomialBTPE(n int64, p float64) int64 {
	fn := float64(n)
	q := 1 - p
	npq := fn * p * q
	// Step 0: set-up.
	fm := fn*p + p
	m := math.Floor(fm) // mode M
	p1 := math.Floor(2.195*math.Sqrt(npq)-4.6*q) + 0.5
	xm := m + 0.5
	xl := xm - p1
	xr := xm + p1
	c := 0.134 + 20.5/(15.3+m)
	a := (fm - xl) / (fm - xl*p)
	laml := a * (1 + a/2)
	a = (xr - fm) / (xr * q)
	lamr := a * (1 + a/2)
	p2 := p1 * (1 + 2*c)
	p3 := p2 + c/laml
	p4 := p3 + c/lamr

	for {
		// Step 1: the triangle, accepted at once.
		u := r.float64() * p4
		v := r.float64()
		if u <= p1 {
			return int64(math.Floor(xm - p1*v + u))
		}
		var y float64
		switch {
		case u <= p2: // Step 2: parallelograms.
			x := xl + (u-p1)/c
			v = v*c + 1 - math.Abs(m-x+0.5)/p1
			if v > 1 {
				continue
			}
			y = math.Floor(x)
		case u <= p3: // Step 3: left exponential tail.
			if v == 0 {
				continue
			}
			y = math.Floor(xl + math.Log(v)/laml)
			if y < 0 {
				continue
			}
			v *= (u - p2) * laml
		default: // Step 4: right exponential tail.
			if v == 0 {
				continue
			}
			y = math.Floor(xr - math.Log(v)/lamr)
			if y > fn {
				continue
			}
			v *= (u - p3) * lamr
		}
		// Step 5.0: acceptance test for y.
		k := math.Abs(y - m)
		if k <= 20 || k >= npq/2-1 {
			// Step 5.1: evaluate f(y)/f(M) recursively.
			s := p / q
			aa := s * (fn + 1)
			F := 1.0
			if m < y {
				for i := m + 1; i <= y; i++ {
					F *= aa/i - s
				}
			} else if m > y {
				for i := y + 1; i <= m; i++ {
					F /= aa/i - s
				}
			}
			if v <= F {
				return int64(y)
			}
			continue
		}
		// Step 5.2: squeeze on log(v).
		rho := (k / npq) * ((k*(k/3+0.625)+1.0/6)/npq + 0.5)
		t := -k * k / (2 * npq)
		A := math.Log(v)
		if A < t-rho {
			return int64(y)
		}
		if A > t+rho {
			continue
		}
		// Step 5.3: the exact bound, log f(y)/f(M) with Stirling's series.
		x1 := y + 1
		f1 := m + 1
		z := fn + 1 - m
		w := fn - y + 1
		bound := xm*math.Log(f1/x1) + (fn-m+0.5)*math.Log(z/w) + (y-m)*math.Log(w*p/(x1*q)) +
			stirlingTail(f1) + stirlingTail(z) + stirlingTail(x1) + stirlingTail(w)
		if A <= bound {
			return int64(y)
		}
	}
}

// stirlingTail is the correction term of Stirling's series used in BTPE step
// 5.3: (13860 − (462 − (132 − (99 − 140/x²)/x²)/x²)/x²)/x/166320, i.e.
// 1/(12x) − 1/(360x³) + 1/(1260x⁵) − 1/(1680x⁷) + 1/(1188x⁹).
func stirlingTail(x float64) float64 {
	x2 := x * x
	return (13860 - (462-(132-(99-140/x2)/x2)/x2)/x2) / x / 166320
}
