using System;
using System.Runtime.Intrinsics;
using System.Threading.Tasks;

namespace AutoGrad.Kernels;

/// <summary>
/// Splits one packed product over threads by contiguous runs of whole output tiles (along N when it has at least
/// as many tiles as M, else along M). No element is computed by two threads and nothing is reduced across threads,
/// so the result does not depend on the degree or on scheduling.
/// </summary>
internal sealed unsafe class GemmParallel
{
    [ThreadStatic]
    private static GemmParallel? t_current;

    private readonly Action<int> _body;
    private readonly ParallelOptions _options = new();
    private GemmProblem _problem;
    private SimdWidth _width;
    private bool _splitN;
    private int _tiles;
    private int _tileSize;
    private int _chunks;

    private GemmParallel() => _body = RunChunk;

    /// <summary>The caller's job object; reused so a parallel product allocates only what Parallel.For does.</summary>
    public static GemmParallel Current => t_current ??= new GemmParallel();

    public void Run(ref GemmProblem p, SimdWidth width, int degree)
    {
        int nr = 2 * VectorCount(width);
        int mr = width == SimdWidth.V512 ? GemmMicroKernel.Rows<Simd512, Vector512<float>>()
            : width == SimdWidth.V256 ? GemmMicroKernel.Rows<Simd256, Vector256<float>>()
            : GemmMicroKernel.Rows<Simd128, Vector128<float>>();
        int nTiles = (p.N + nr - 1) / nr;
        int mTiles = (p.M + mr - 1) / mr;
        _problem = p;
        _width = width;
        _splitN = nTiles >= mTiles;
        _tiles = _splitN ? nTiles : mTiles;
        _tileSize = _splitN ? nr : mr;
        _chunks = Math.Min(degree, _tiles);
        if (_chunks <= 1)
        {
            RunChunk(0);
            return;
        }
        _options.MaxDegreeOfParallelism = _chunks;
        Parallel.For(0, _chunks, _options, _body);
    }

    private void RunChunk(int chunk)
    {
        GemmProblem p = _problem;
        int extent = _splitN ? p.N : p.M;
        int first = (int)((long)_tiles * chunk / _chunks) * _tileSize;
        int last = Math.Min(extent, (int)((long)_tiles * (chunk + 1) / _chunks) * _tileSize);
        if (_splitN)
        {
            RunPacked(_width, ref p, 0, p.M, first, last);
        }
        else
        {
            RunPacked(_width, ref p, first, last, 0, p.N);
        }
    }

    public static void RunPacked(SimdWidth width, ref GemmProblem p, int mStart, int mEnd, int nStart, int nEnd)
    {
        switch (width)
        {
            case SimdWidth.V512:
                GemmPacked.Run<Simd512, Vector512<float>>(ref p, mStart, mEnd, nStart, nEnd);
                break;
            case SimdWidth.V256:
                GemmPacked.Run<Simd256, Vector256<float>>(ref p, mStart, mEnd, nStart, nEnd);
                break;
            default:
                GemmPacked.Run<Simd128, Vector128<float>>(ref p, mStart, mEnd, nStart, nEnd);
                break;
        }
    }

    public static int VectorCount(SimdWidth width) => width switch
    {
        SimdWidth.V512 => Vector512<float>.Count,
        SimdWidth.V256 => Vector256<float>.Count,
        _ => Vector128<float>.Count,
    };
}
