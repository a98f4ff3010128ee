package org.licensim.simulator.population;

import java.util.SplittableRandom;

/**
 * The simulator's only source of randomness: {@link SplittableRandom} (whose sequence the JDK
 * specifies) plus distributions computed with {@link StrictMath}, so that a scenario and a seed
 * give the same run on any machine and JVM.
 */
public final class Rng {
    private SplittableRandom random;

    public Rng(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** An independent stream for one purpose, so adding draws in one place does not shift another. */
    public Rng fork(long salt) {
        return new Rng(mix(random.nextLong() ^ salt));
    }

    /**
     * Continues as the stream {@code source.fork(salt)} would be: a run whose day 0 is fixed switches
     * the streams its populations hold to its own seed once day 0 is made.
     */
    public void reseed(Rng source, long salt) {
        random = new SplittableRandom(mix(source.random.nextLong() ^ salt));
    }

    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    public long nextLong() {
        return random.nextLong();
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    /** A Poisson count with the given mean (Knuth below 30, a rounded normal above). */
    public int poisson(double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean < 30) {
            double limit = StrictMath.exp(-mean);
            double p = 1;
            int k = 0;
            do {
                k++;
                p *= random.nextDouble();
            } while (p > limit);
            return k - 1;
        }
        double u1 = Math.max(random.nextDouble(), 1e-300);
        double u2 = random.nextDouble();
        double z = StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
        return (int) Math.max(0, Math.round(mean + z * StrictMath.sqrt(mean)));
    }

    /** Shuffles {@code a} in place (Fisher-Yates from the end, one draw per position). */
    public void shuffle(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    public void shuffle(byte[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            byte x = a[i];
            a[i] = a[j];
            a[j] = x;
        }
    }

    /** A Gamma(shape, 1) draw (Marsaglia and Tsang; shape below 1 boosted by a uniform power). */
    public double gamma(double shape) {
        if (shape < 1) {
            return gamma(shape + 1) * StrictMath.pow(Math.max(random.nextDouble(), 1e-300), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / StrictMath.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                double u1 = Math.max(random.nextDouble(), 1e-300);
                double u2 = random.nextDouble();
                x = StrictMath.sqrt(-2 * StrictMath.log(u1)) * StrictMath.cos(2 * Math.PI * u2);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || StrictMath.log(u) < 0.5 * x * x + d * (1 - v + StrictMath.log(v))) {
                return d * v;
            }
        }
    }

    /** SplitMix64's finaliser: a good 64-bit hash, used for ids. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** Picks indices with fixed weights in O(log n) (cumulative sums and a binary search). */
    public static final class Choice {
        private final double[] cumulative;

        public Choice(double[] weights) {
            cumulative = new double[weights.length];
            double sum = 0;
            for (int i = 0; i < weights.length; i++) {
                sum += weights[i];
                cumulative[i] = sum;
            }
            if (!(sum > 0)) {
                throw new IllegalArgumentException("weights must add up to more than 0");
            }
            for (int i = 0; i < weights.length; i++) {
                cumulative[i] /= sum;
            }
        }

        /** Weights 1/rank^s: Zipf's law over the items in their given order (s = 0 is uniform). */
        public static Choice zipf(int n, double s) {
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = 1 / StrictMath.pow(i + 1, s);
            }
            return new Choice(w);
        }

        public int pick(Rng rng) {
            double u = rng.nextDouble();
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > u) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return lo;
        }

        /** The probability of index i. */
        public double share(int i) {
            return i == 0 ? cumulative[0] : cumulative[i] - cumulative[i - 1];
        }

        public int size() {
            return cumulative.length;
        }
    }
}
