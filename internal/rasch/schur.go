package rasch

import (
	"context"
	"math"
)

// schurSE returns the exact standard errors of the free items of a large
// pool, exploiting the block structure of the information matrix I.
//
// Free items that are in one booklet only ("local") are coupled only to
// the items of that booklet, so with the local items first
//
//	I = [A B; B^T C],  A = blockdiag(A_1, ..., A_m),
//
// and, with the Schur complement S = C - sum_b B_b^T A_b^-1 B_b over the
// items shared by several booklets,
//
//	[I^-1]_shared = S^-1,
//	[I^-1]_local of b = A_b^-1 + W_b S^-1 W_b^T,  W_b = A_b^-1 B_b.
//
// The cost is sum_b k_b^3 plus (shared items)^3 instead of (pool)^3.
// On a sum-zero scale (no anchors) I is singular; one free item r is held
// at 0, V = the inverse above without r, and the covariance of the
// sum-zero estimates is P V P with P = 1 - 11^T/n, whose diagonal is
// V_ii - 2 (V1)_i / n + 1^T V 1 / n^2.
// It returns nil when there are more than maxShared shared items.
// Kept whole: the block factorisations, the Schur complement and the
// sum-zero correction share the per-block workspaces W_b, and splitting
// them apart would hide the derivation above.
func (des *design) schurSE(ctx context.Context, ev *evaluator, sumZero bool, maxShared int) ([]float64, error) {
	nf := len(des.free)
	count := make([]int, nf)
	for _, bk := range des.books {
		for _, it := range bk.items {
			if f, ok := des.freeIdx[it]; ok {
				count[f]++
			}
		}
	}
	ref := -1
	if sumZero {
		ref = 0
		for f := range count {
			if count[f] > count[ref] {
				ref = f
			}
		}
	}
	shared := make([]int, nf) // free index -> shared index, -1 local or ref
	m := 0
	for f := range shared {
		shared[f] = -1
		if f != ref && count[f] > 1 {
			shared[f] = m
			m++
		}
	}
	if m > maxShared {
		return nil, nil
	}
	type blockInfo struct {
		local  []int     // free index of local items
		lpos   []int     // their positions in the booklet
		sidx   []int     // shared index of the booklet's shared items
		spos   []int     // their positions
		chol   []float64 // Cholesky factor of A_b
		w      []float64 // W_b = A_b^-1 B_b, len(local) x len(sidx)
		ainvDg []float64 // diagonal of A_b^-1
	}
	S := make([]float64, m*m)
	var infos []blockInfo
	for bi, bk := range des.books {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		k := len(bk.items)
		blk := ev.blocks[bi]
		var in blockInfo
		for j, it := range bk.items {
			f, ok := des.freeIdx[it]
			if !ok || f == ref {
				continue
			}
			if s := shared[f]; s >= 0 {
				in.sidx = append(in.sidx, s)
				in.spos = append(in.spos, j)
			} else {
				in.local = append(in.local, f)
				in.lpos = append(in.lpos, j)
			}
		}
		for x, pa := range in.spos {
			for y, pb := range in.spos {
				S[in.sidx[x]*m+in.sidx[y]] += blk[pa*k+pb]
			}
		}
		nl, ns := len(in.local), len(in.sidx)
		if nl == 0 {
			infos = append(infos, in)
			continue
		}
		in.chol = make([]float64, nl*nl)
		for x, pa := range in.lpos {
			for y, pb := range in.lpos {
				in.chol[x*nl+y] = blk[pa*k+pb]
			}
		}
		if err := cholesky(in.chol, nl); err != nil {
			return nil, err
		}
		in.ainvDg = invDiag(in.chol, nl)
		in.w = make([]float64, nl*ns)
		col := make([]float64, nl)
		for y, pb := range in.spos {
			for x, pa := range in.lpos {
				col[x] = blk[pa*k+pb]
			}
			cholSolve(in.chol, nl, col)
			for x := range nl {
				in.w[x*ns+y] = col[x]
			}
		}
		// S -= B^T W
		for y1, pb1 := range in.spos {
			for y2 := range in.spos {
				acc := 0.0
				for x, pa := range in.lpos {
					acc += blk[pa*k+pb1] * in.w[x*ns+y2]
				}
				S[in.sidx[y1]*m+in.sidx[y2]] -= acc
			}
		}
		infos = append(infos, in)
	}
	// S^-1 = L^-T L^-1: keep the columns of L^-1 (column i is zero above
	// i) and form only the entries needed, each a dot product.
	var cols [][]float64
	if m > 0 {
		if err := cholesky(S, m); err != nil {
			return nil, err
		}
		var err error
		if cols, err = invColumns(ctx, S, m); err != nil {
			return nil, err
		}
	}
	sinvAt := func(i, j int) float64 {
		k := max(i, j)
		return dot(cols[i][k:], cols[j][k:])
	}
	v := make([]float64, nf)
	for f, s := range shared {
		if s >= 0 {
			v[f] = sinvAt(s, s)
		}
	}
	for _, in := range infos {
		ns := len(in.sidx)
		sub := make([]float64, ns*ns)
		for a := range ns {
			for b := a; b < ns; b++ {
				x := sinvAt(in.sidx[a], in.sidx[b])
				sub[a*ns+b], sub[b*ns+a] = x, x
			}
		}
		for x, f := range in.local {
			q := in.ainvDg[x]
			wr := in.w[x*ns : (x+1)*ns]
			for a := range ns {
				q += wr[a] * dot(sub[a*ns:(a+1)*ns], wr)
			}
			v[f] = q
		}
	}
	if sumZero {
		// V1 by the block solve of I_red x = 1.
		x := make([]float64, nf)
		rhs := make([]float64, m)
		for s := range rhs {
			rhs[s] = 1
		}
		ys := make([][]float64, len(infos))
		for bi, in := range infos {
			nl, ns := len(in.local), len(in.sidx)
			if nl == 0 {
				continue
			}
			y := make([]float64, nl)
			for i := range y {
				y[i] = 1
			}
			cholSolve(in.chol, nl, y) // A_b^-1 1
			ys[bi] = y
			// rhs -= B_b^T A_b^-1 1 = W_b^T 1
			for b := range ns {
				t := 0.0
				for a := range nl {
					t += in.w[a*ns+b]
				}
				rhs[in.sidx[b]] -= t
			}
		}
		xs := rhs
		if m > 0 {
			cholSolve(S, m, xs)
		}
		for f, s := range shared {
			if s >= 0 {
				x[f] = xs[s]
			}
		}
		for bi, in := range infos {
			ns := len(in.sidx)
			for a, f := range in.local {
				t := ys[bi][a]
				for b := range ns {
					t -= in.w[a*ns+b] * xs[in.sidx[b]]
				}
				x[f] = t
			}
		}
		tot := 0.0
		for _, xi := range x {
			tot += xi
		}
		n := float64(nf)
		for f := range v {
			v[f] = v[f] - 2*x[f]/n + tot/(n*n)
		}
	}
	se := make([]float64, nf)
	for f := range v {
		se[f] = math.Sqrt(math.Max(v[f], 0))
	}
	return se, nil
}

// cholSolve solves L L^T x = b in place for a Cholesky factor in the
// lower triangle of a (n x n).
func cholSolve(a []float64, n int, x []float64) {
	for i := range n {
		v := x[i]
		for k := range i {
			v -= a[i*n+k] * x[k]
		}
		x[i] = v / a[i*n+i]
	}
	for i := n - 1; i >= 0; i-- {
		v := x[i]
		for k := i + 1; k < n; k++ {
			v -= a[k*n+i] * x[k]
		}
		x[i] = v / a[i*n+i]
	}
}

// invDiag returns the diagonal of (L L^T)^-1 = L^-T L^-1 for a Cholesky
// factor in the lower triangle of a: column j of L^-1 solves L y = e_j,
// and the j-th diagonal entry is the sum of the squares of that column.
func invDiag(a []float64, n int) []float64 {
	d := make([]float64, n)
	y := make([]float64, n)
	for j := range n {
		clear(y)
		y[j] = 1 / a[j*n+j]
		sq := y[j] * y[j]
		for i := j + 1; i < n; i++ {
			v := 0.0
			row := a[i*n : i*n+i]
			for k := j; k < i; k++ {
				v -= row[k] * y[k]
			}
			y[i] = v / a[i*n+i]
			sq += y[i] * y[i]
		}
		d[j] = sq
	}
	return d
}

// invColumns returns the columns of L^-1 for a Cholesky factor in the
// lower triangle of a (n x n); column j solves L y = e_j and is zero
// above j.
func invColumns(ctx context.Context, a []float64, n int) ([][]float64, error) {
	cols := make([][]float64, n)
	for j := range n {
		if j%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		y := make([]float64, n)
		y[j] = 1 / a[j*n+j]
		for i := j + 1; i < n; i++ {
			y[i] = -dot(a[i*n+j:i*n+i], y[j:i]) / a[i*n+i]
		}
		cols[j] = y
	}
	return cols, nil
}
