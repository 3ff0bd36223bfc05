package rasch

import (
	"context"
	"errors"
	"math"
)

// linear solves I step = g for the Newton step of the free items.
type linear interface {
	solve(g, x []float64) error
}

// addFree adds the free-free part of every booklet block to the dense
// matrix h (nf x nf) or, with v != nil, h*v... see matvec.
func denseInformation(des *design, ev *evaluator) []float64 {
	nf := len(des.free)
	h := make([]float64, nf*nf)
	for bi, bk := range des.books {
		k := len(bk.items)
		blk := ev.blocks[bi]
		idx := freeIndex(des, bk)
		for i := range k {
			fi := idx[i]
			if fi < 0 {
				continue
			}
			for j := range k {
				if fj := idx[j]; fj >= 0 {
					h[fi*nf+fj] += blk[i*k+j]
				}
			}
		}
	}
	return h
}

func freeIndex(des *design, bk *book) []int {
	idx := make([]int, len(bk.items))
	for j, it := range bk.items {
		if f, ok := des.freeIdx[it]; ok {
			idx[j] = f
		} else {
			idx[j] = -1
		}
	}
	return idx
}

// ridge returns the c of I + c 11^T used to remove the zero eigenvalue
// of a sum-zero problem: c n equals the mean diagonal of I.
func ridge(diag []float64) float64 {
	t := 0.0
	for _, d := range diag {
		t += d
	}
	n := float64(len(diag))
	return t / n / n
}

type denseSystem struct {
	n    int
	chol []float64
}

var errNotPD = errors.New("rasch: the information matrix is singular (items whose difficulty cannot be separated)")

func newDenseSystem(des *design, ev *evaluator, sumZero bool) *denseSystem {
	nf := len(des.free)
	h := denseInformation(des, ev)
	if sumZero {
		diag := make([]float64, nf)
		for i := range nf {
			diag[i] = h[i*nf+i]
		}
		c := ridge(diag)
		for i := range h {
			h[i] += c
		}
	}
	return &denseSystem{n: nf, chol: h}
}

// cholesky factors a (n x n, row-major, symmetric positive definite) in
// place into its lower triangle L with a = L L^T.
func cholesky(a []float64, n int) error {
	for j := range n {
		d := a[j*n+j]
		for k := range j {
			d -= a[j*n+k] * a[j*n+k]
		}
		if !(d > 0) {
			return errNotPD
		}
		d = math.Sqrt(d)
		a[j*n+j] = d
		for i := j + 1; i < n; i++ {
			s := a[i*n+j]
			ri, rj := a[i*n:i*n+j], a[j*n:j*n+j]
			for k := range ri {
				s -= ri[k] * rj[k]
			}
			a[i*n+j] = s / d
		}
	}
	return nil
}

func (s *denseSystem) solve(g, x []float64) error {
	if err := cholesky(s.chol, s.n); err != nil {
		return err
	}
	copy(x, g)
	cholSolve(s.chol, s.n, x)
	return nil
}

// cgSystem solves by preconditioned conjugate gradients with
// matrix-vector products over the booklet blocks.
type cgSystem struct {
	des     *design
	ev      *evaluator
	idx     [][]int
	diag    []float64
	c       float64 // ridge for sum-zero problems
	sumZero bool
}

func newCGSystem(des *design, ev *evaluator, sumZero bool) *cgSystem {
	s := &cgSystem{des: des, ev: ev, sumZero: sumZero, diag: make([]float64, len(des.free))}
	for bi, bk := range des.books {
		idx := freeIndex(des, bk)
		s.idx = append(s.idx, idx)
		k := len(bk.items)
		for j, f := range idx {
			if f >= 0 {
				s.diag[f] += ev.blocks[bi][j*k+j]
			}
		}
	}
	if sumZero {
		s.c = ridge(s.diag)
	}
	return s
}

func (s *cgSystem) matvec(v, out []float64) {
	clear(out)
	for bi, idx := range s.idx {
		k := len(idx)
		blk := s.ev.blocks[bi]
		for i, fi := range idx {
			if fi < 0 {
				continue
			}
			row := blk[i*k : (i+1)*k]
			acc := 0.0
			for j, fj := range idx {
				if fj >= 0 {
					acc += row[j] * v[fj]
				}
			}
			out[fi] += acc
		}
	}
	if s.sumZero {
		t := 0.0
		for _, x := range v {
			t += x
		}
		for i := range out {
			out[i] += s.c * t
		}
	}
}

func (s *cgSystem) solve(g, x []float64) error {
	n := len(g)
	r := make([]float64, n)
	z := make([]float64, n)
	p := make([]float64, n)
	q := make([]float64, n)
	clear(x)
	copy(r, g)
	pre := func(in, out []float64) {
		for i := range in {
			out[i] = in[i] / (s.diag[i] + s.c)
		}
	}
	pre(r, z)
	copy(p, z)
	rz := dot(r, z)
	gnorm := math.Sqrt(dot(g, g))
	if gnorm == 0 {
		return nil
	}
	for it := 0; it < 10*n+100; it++ {
		s.matvec(p, q)
		pq := dot(p, q)
		if !(pq > 0) {
			return errNotPD
		}
		alpha := rz / pq
		for i := range x {
			x[i] += alpha * p[i]
			r[i] -= alpha * q[i]
		}
		if math.Sqrt(dot(r, r)) < 1e-12*gnorm {
			return nil
		}
		pre(r, z)
		rzNew := dot(r, z)
		beta := rzNew / rz
		rz = rzNew
		for i := range p {
			p[i] = z[i] + beta*p[i]
		}
	}
	return nil // an inexact Newton step still converges; the outer loop checks
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// standardErrors returns the SE of every free item from the information
// at the estimates: the square roots of the diagonal of its inverse (of
// the Moore-Penrose inverse on a sum-zero scale, (I + c11^T)^-1 -
// 11^T/(c n^2)). Up to DenseLimit free items the inverse comes from a
// dense Cholesky factor ("exact"); above, from the block structure of I
// (schurSE, also "exact") when at most maxShared items are shared by
// several booklets, else 1/sqrt(I_ii), which ignores the covariances with
// the other items ("diagonal").
func (des *design) standardErrors(ctx context.Context, ev *evaluator, sumZero, dense bool) ([]float64, string, error) {
	nf := len(des.free)
	if !dense {
		se, err := des.schurSE(ctx, ev, sumZero, maxShared)
		if err != nil || se != nil {
			return se, "exact", err
		}
		s := newCGSystem(des, ev, false)
		se = make([]float64, nf)
		for f, d := range s.diag {
			se[f] = 1 / math.Sqrt(d)
		}
		return se, "diagonal", nil
	}
	h := denseInformation(des, ev)
	c := 0.0
	if sumZero {
		diag := make([]float64, nf)
		for i := range nf {
			diag[i] = h[i*nf+i]
		}
		c = ridge(diag)
		for i := range h {
			h[i] += c
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, "", err
	}
	if err := cholesky(h, nf); err != nil {
		return nil, "", err
	}
	se := invDiag(h, nf)
	for f := range se {
		if sumZero {
			se[f] -= 1 / (c * float64(nf) * float64(nf))
		}
		se[f] = math.Sqrt(math.Max(se[f], 0))
	}
	return se, "exact", nil
}

// maxShared is the largest number of shared items for which schurSE
// inverts the Schur complement.
const maxShared = 3000
