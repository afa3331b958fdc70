#pragma once

#include <cstdint>
#include <vector>

// Truncated eigen-decomposition of a sparse symmetric matrix by randomized range finding
// (Halko, Martinsson, Tropp 2011): Y = M·Ω with a Gaussian Ω of rank+oversample columns, a few
// power iterations with re-orthonormalisation, then the small projected matrix is diagonalised
// with cyclic Jacobi. Plain loops, no LAPACK: the matrices here are a few thousand rows.
// Pure; any thread; deterministic for a given seed.
namespace emailrag::embed {

struct SparseSymmetric
{
    int n = 0;
    std::vector<int> rowStart;   // n + 1 entries (CSR)
    std::vector<int> col;
    std::vector<float> value;
};

struct Decomposition
{
    int n = 0;
    int rank = 0;
    std::vector<double> values;  // rank eigenvalues, largest magnitude first
    std::vector<double> vectors; // n × rank, row-major: vectors[i * rank + k]
};

Decomposition randomizedEigen(const SparseSymmetric &m, int rank, int oversample, int powerIterations, uint32_t seed);

} // namespace emailrag::embed
