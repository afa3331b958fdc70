#include "randomsvd.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace emailrag::embed {

namespace {

using Columns = std::vector<std::vector<double>>; // column-major: cols[k][i]

Columns multiply(const SparseSymmetric &m, const Columns &x)
{
    Columns y(x.size(), std::vector<double>(size_t(m.n), 0.0));
    for (int i = 0; i < m.n; ++i) {
        for (int p = m.rowStart[i]; p < m.rowStart[i + 1]; ++p) {
            const int j = m.col[p];
            const double v = m.value[p];
            for (size_t k = 0; k < x.size(); ++k)
                y[k][i] += v * x[k][j];
        }
    }
    return y;
}

// Modified Gram-Schmidt, twice for stability. Columns that vanish are replaced by zeros.
void orthonormalize(Columns &q)
{
    for (int pass = 0; pass < 2; ++pass) {
        for (size_t k = 0; k < q.size(); ++k) {
            for (size_t j = 0; j < k; ++j) {
                const double d = std::inner_product(q[k].begin(), q[k].end(), q[j].begin(), 0.0);
                for (size_t i = 0; i < q[k].size(); ++i)
                    q[k][i] -= d * q[j][i];
            }
            const double norm = std::sqrt(std::inner_product(q[k].begin(), q[k].end(), q[k].begin(), 0.0));
            for (double &v : q[k])
                v = norm > 1e-12 ? v / norm : 0.0;
        }
    }
}

// Cyclic Jacobi on a dense symmetric l×l matrix (row-major). Returns eigenvalues in `a`'s
// diagonal and eigenvectors as the columns of `v`.
void jacobi(std::vector<double> &a, std::vector<double> &v, int l)
{
    v.assign(size_t(l) * l, 0.0);
    for (int i = 0; i < l; ++i)
        v[size_t(i) * l + i] = 1.0;
    for (int sweep = 0; sweep < 60; ++sweep) {
        double off = 0;
        for (int p = 0; p < l; ++p)
            for (int q = p + 1; q < l; ++q)
                off += a[size_t(p) * l + q] * a[size_t(p) * l + q];
        if (off < 1e-22)
            break;
        for (int p = 0; p < l; ++p) {
            for (int q = p + 1; q < l; ++q) {
                const double apq = a[size_t(p) * l + q];
                if (std::abs(apq) < 1e-300)
                    continue;
                const double app = a[size_t(p) * l + p];
                const double aqq = a[size_t(q) * l + q];
                const double theta = (aqq - app) / (2 * apq);
                const double t = (theta >= 0 ? 1.0 : -1.0) / (std::abs(theta) + std::sqrt(theta * theta + 1));
                const double c = 1 / std::sqrt(t * t + 1);
                const double s = t * c;
                for (int k = 0; k < l; ++k) {
                    const double akp = a[size_t(k) * l + p];
                    const double akq = a[size_t(k) * l + q];
                    a[size_t(k) * l + p] = c * akp - s * akq;
                    a[size_t(k) * l + q] = s * akp + c * akq;
                }
                for (int k = 0; k < l; ++k) {
                    const double apk = a[size_t(p) * l + k];
                    const double aqk = a[size_t(q) * l + k];
                    a[size_t(p) * l + k] = c * apk - s * aqk;
                    a[size_t(q) * l + k] = s * apk + c * aqk;
                }
                for (int k = 0; k < l; ++k) {
                    const double vkp = v[size_t(k) * l + p];
                    const double vkq = v[size_t(k) * l + q];
                    v[size_t(k) * l + p] = c * vkp - s * vkq;
                    v[size_t(k) * l + q] = s * vkp + c * vkq;
                }
            }
        }
    }
}

} // namespace

Decomposition randomizedEigen(const SparseSymmetric &m, int rank, int oversample, int powerIterations, uint32_t seed)
{
    Decomposition out;
    out.n = m.n;
    const int l = std::min(m.n, rank + oversample);
    rank = std::min(rank, l);
    out.rank = rank;
    if (m.n == 0 || rank <= 0)
        return out;
    std::mt19937 gen(seed);
    std::normal_distribution<double> gauss;
    Columns omega(static_cast<size_t>(l), std::vector<double>(size_t(m.n)));
    for (auto &c : omega)
        for (double &x : c)
            x = gauss(gen);
    Columns q = multiply(m, omega);
    orthonormalize(q);
    for (int it = 0; it < powerIterations; ++it) {
        q = multiply(m, q); // M is symmetric: Mᵀ·Q = M·Q
        orthonormalize(q);
    }
    // T = Qᵀ M Q (l×l), symmetric; M ≈ Q T Qᵀ.
    const Columns mq = multiply(m, q);
    std::vector<double> t(static_cast<size_t>(l) * l);
    for (int a = 0; a < l; ++a)
        for (int b = 0; b < l; ++b)
            t[size_t(a) * l + b] = std::inner_product(q[a].begin(), q[a].end(), mq[b].begin(), 0.0);
    for (int a = 0; a < l; ++a) // symmetrise rounding noise
        for (int b = a + 1; b < l; ++b)
            t[size_t(a) * l + b] = t[size_t(b) * l + a] = 0.5 * (t[size_t(a) * l + b] + t[size_t(b) * l + a]);
    std::vector<double> v;
    jacobi(t, v, l);
    std::vector<int> order(static_cast<size_t>(l));
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int a, int b) { return t[size_t(a) * l + a] > t[size_t(b) * l + b]; });
    out.values.resize(size_t(rank));
    out.vectors.assign(size_t(m.n) * rank, 0.0);
    for (int k = 0; k < rank; ++k) {
        const int e = order[size_t(k)];
        out.values[size_t(k)] = t[size_t(e) * l + e];
        // eigenvector of M: Q · v_e
        for (int a = 0; a < l; ++a) {
            const double w = v[size_t(a) * l + e];
            if (w == 0)
                continue;
            for (int i = 0; i < m.n; ++i)
                out.vectors[size_t(i) * rank + k] += w * q[a][i];
        }
    }
    return out;
}

} // namespace emailrag::embed
