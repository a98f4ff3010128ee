package org.licensim.simulator.population;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;

import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.licensim.core.directory.UserData;
import org.licensim.simulator.scenario.Scenario.Department;
import org.licensim.simulator.scenario.Scenario;

import net.datafaker.Faker;

/**
 * Makes synthetic users: realistic names from datafaker (drawn once into pools with a seeded
 * generator, then combined with the simulator's own random stream, which keeps 1M users to a
 * second or two), unique UPNs, departments and titles with Zipf skew, usage locations by the
 * scenario's weights.
 */
public final class People {
    static final String SHARED_ADDRESS_LOCAL_PART = "shared-mailbox";
    private static final int POOL = 1_500;
    /** Our own table, not the JDK's locale data, whose names may change between JDK releases. */
    private static final java.util.Map<String, String> COUNTRY_NAMES = java.util.Map.ofEntries(
            java.util.Map.entry("US", "United States"), java.util.Map.entry("GB", "United Kingdom"),
            java.util.Map.entry("DE", "Germany"), java.util.Map.entry("FR", "France"),
            java.util.Map.entry("NL", "Netherlands"), java.util.Map.entry("IE", "Ireland"),
            java.util.Map.entry("ES", "Spain"), java.util.Map.entry("IT", "Italy"), java.util.Map.entry("PL", "Poland"),
            java.util.Map.entry("SE", "Sweden"), java.util.Map.entry("IN", "India"), java.util.Map.entry("CN", "China"),
            java.util.Map.entry("JP", "Japan"), java.util.Map.entry("AU", "Australia"),
            java.util.Map.entry("CA", "Canada"), java.util.Map.entry("BR", "Brazil"),
            java.util.Map.entry("MX", "Mexico"), java.util.Map.entry("SG", "Singapore"),
            java.util.Map.entry("ZA", "South Africa"), java.util.Map.entry("CH", "Switzerland"));
    private final Scenario scenario;
    private final String[] first;
    private final String[] last;
    private final String[] firstKey;
    private final String[] lastKey;
    private final Rng.Choice departments;
    private final Rng.Choice[] titles;
    private final Rng.Choice countries;
    private final String[] countryNames;
    /**
     * Scenarios of at least this many users count the UPNs of each name pair in a flat table
     * rather than a hash map (a test sets it to compare both ways).
     */
    static int flatUpnCountUsers = 250_000;
    /** Per (first, last) name pair, how many UPNs were made from it, so the next one gets a number; null when flat. */
    private final LongIntHashMap upnCount;
    /**
     * The same counts at {@code first * last.length + last} for a large scenario (null otherwise):
     * 2.25M ints, against a hash map of up to as many pairs probed and grown, a quarter of day 0's
     * planning thread at a million users; a small one keeps the map, which grows with its hires.
     */
    private final int[] upnCountFlat;
    private final String sharedAddress;

    /** The name pools drawn with one seed: first and last names and their UPN keys. Read-only once made. */
    record Names(String[] first, String[] last, String[] firstKey, String[] lastKey) {
    }

    /**
     * Name pools by seed, for the runs of a plan that share a seed (a fixed day 0, the backtest's
     * template): datafaker loads its YAML name lists for each new generator, which took a plan of a
     * small tenant a quarter of its time. A few seeds at most; a plan with a day 0 drawn per run
     * has a seed per run, so the oldest are dropped.
     */
    private static final java.util.Map<Long, Names> POOLS = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<Long, Names> eldest) {
                    return size() > 8;
                }
            });

    private static volatile Thread preparing;

    /**
     * Starts loading datafaker's name lists (its YAML, parsed once per JVM) on a background
     * thread, for a command that will make people once it has read its catalog and scenario: a
     * second or two of a cold JVM's start spent beside that work rather than after it. The first
     * {@code People} waits for it. Draws nothing that a run sees.
     */
    public static synchronized void prepare() {
        if (preparing == null) {
            Thread t = new Thread(() -> {
                Faker f = faker(0);
                f.name().firstName();
                f.name().lastName();
            }, "licensim-names");
            t.setDaemon(true);
            t.start();
            preparing = t;
        }
    }

    /**
     * The generator the pools are drawn with. English without a country: datafaker's names are
     * its {@code en} lists either way (its United States file has none), but a locale with a
     * country first parses that country's file, 1.5 MB of YAML (about two seconds of a cold
     * start), to look for them. The same seed gives the same names as with {@code Locale.US}.
     */
    static Faker faker(long seed) {
        return new Faker(Locale.ENGLISH, new Random(seed));
    }

    static Names names(long seed) {
        Names n = POOLS.get(seed);
        if (n == null) {
            Thread t = preparing;
            if (t != null) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Faker faker = faker(seed);
            Set<String> f = new LinkedHashSet<>();
            Set<String> l = new LinkedHashSet<>();
            for (int i = 0; i < POOL * 3 && (f.size() < POOL || l.size() < POOL); i++) {
                if (f.size() < POOL) {
                    f.add(faker.name().firstName());
                }
                if (l.size() < POOL) {
                    l.add(faker.name().lastName());
                }
            }
            String[] first = f.toArray(String[]::new);
            String[] last = l.toArray(String[]::new);
            n = new Names(first, last, keys(first), keys(last));
            POOLS.put(seed, n);
        }
        return n;
    }

    public People(Scenario s) {
        this.scenario = s;
        Names names = names(s.seed());
        first = names.first();
        last = names.last();
        firstKey = names.firstKey();
        lastKey = names.lastKey();
        if (s.users() >= flatUpnCountUsers) {
            upnCount = null;
            upnCountFlat = new int[first.length * last.length];
        } else {
            upnCount = new LongIntHashMap();
            upnCountFlat = null;
        }
        departments = Rng.Choice.zipf(s.departments().size(), s.departmentSkew());
        titles = new Rng.Choice[s.departments().size()];
        for (int d = 0; d < titles.length; d++) {
            titles[d] = Rng.Choice.zipf(s.departments().get(d).titles().size(), 1.0);
        }
        double[] w = new double[s.countries().size()];
        countryNames = new String[w.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = s.countries().get(i).weight();
            String code = s.countries().get(i).value();
            countryNames[i] = COUNTRY_NAMES.getOrDefault(code, code);
        }
        countries = new Rng.Choice(w);
        sharedAddress = "smtp:" + SHARED_ADDRESS_LOCAL_PART + "@" + s.tenant().domain();
    }

    private static String[] keys(String[] names) {
        String[] out = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            String ascii = Normalizer.normalize(names[i], Normalizer.Form.NFD).replaceAll("[^A-Za-z0-9]", "");
            out[i] = ascii.isEmpty() ? "user" : ascii.toLowerCase(Locale.ROOT);
        }
        return out;
    }

    public int pickDepartment(Rng rng) {
        return departments.pick(rng);
    }

    /** A department other than {@code current} (when there are two or more). */
    public int pickOtherDepartment(Rng rng, int current) {
        if (departments.size() < 2) {
            return current;
        }
        int d = current;
        for (int i = 0; i < 8 && d == current; i++) {
            d = departments.pick(rng);
        }
        return d == current ? (current + 1) % departments.size() : d;
    }

    public String pickTitle(Rng rng, int department) {
        Department d = scenario.departments().get(department);
        return d.titles().get(titles[department].pick(rng));
    }

    /** A country index, or -1 for no usage location. */
    public int pickCountry(Rng rng) {
        return rng.chance(scenario.noUsageLocation()) ? -1 : countries.pick(rng);
    }

    public String countryCode(int c) {
        return scenario.countries().get(c).value();
    }

    public String countryName(int c) {
        return countryNames[c];
    }

    /** A new user: every property a licensing rule is likely to read. */
    public UserData newUser(Rng rng, String id, int department, int country, LocalDate hireDate) {
        UserData d = new UserData();
        if (country >= 0) {
            d.usageLocation = countryCode(country);
            d.hasUsageLocation = true;
            d.strings.put("country", countryName(country));
        }
        String upn = identity(rng, id, d);
        d.strings.put("department", scenario.departments().get(department).name());
        d.strings.put("jobTitle", pickTitle(rng, department));
        d.strings.put("employeeType", rng.chance(scenario.contractorShare()) ? "Contractor" : "Employee");
        d.strings.put("employeeHireDate", dateText(hireDate));
        if (rng.chance(scenario.sharedAddressShare())) {
            d.multi.put("proxyAddresses", List.of("SMTP:" + upn, sharedAddress));
        }
        return d;
    }

    /**
     * The hire dates' texts made so far, one String per date: the engine keeps a repeated value
     * such as a date once, in a dictionary, and finds the same String there by identity, where a
     * new one per hire (a million on day 0, about 3,650 dates) was compared character by character.
     */
    private final java.util.HashMap<LocalDate, String> dateTexts = new java.util.HashMap<>();

    /** {@code date.toString()}, the same String each time for the same date. */
    private String dateText(LocalDate date) {
        String t = dateTexts.get(date);
        if (t == null) {
            t = date.toString();
            dateTexts.put(date, t);
        }
        return t;
    }

    /**
     * Who a new person is: id, an enabled account, a unique UPN from a drawn name (also their
     * mail and primary SMTP address), display, given and family names. Returns the UPN.
     */
    public String identity(Rng rng, String id, UserData d) {
        int fi = rng.nextInt(first.length);
        int li = rng.nextInt(last.length);
        int n = upnCountFlat != null ? ++upnCountFlat[fi * last.length + li]
                : upnCount.addToValue(((long) fi << 32) | li, 1);
        String nick = firstKey[fi] + "." + lastKey[li] + (n == 1 ? "" : Integer.toString(n));
        String upn = nick + "@" + scenario.tenant().domain();
        d.id = id;
        d.accountEnabled = true;
        d.strings.put("userPrincipalName", upn);
        d.strings.put("displayName", first[fi] + " " + last[li]);
        d.strings.put("givenName", first[fi]);
        d.strings.put("surname", last[li]);
        d.strings.put("mail", upn);
        d.strings.put("mailNickname", nick);
        d.multi.put("proxyAddresses", List.of("SMTP:" + upn));
        return upn;
    }

    /** A directory object id that looks like Graph's (a version-4 GUID), derived from the seed. */
    public static String guid(long seed, int kind, long n) {
        long a = Rng.mix(seed * 0x9E3779B97F4A7C15L + kind * 0xC2B2AE3D27D4EB4FL + n);
        long b = Rng.mix(a ^ 0xD1B54A32D192ED03L);
        a = (a & ~0xF000L) | 0x4000L;
        b = (b & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        // Latin-1 bytes made into the String as they are (no char[] to compress): a simulation
        // makes an id per hire, and this was a sixth of day 0's planning thread
        byte[] c = new byte[36];
        hex(c, 0, a >>> 32, 8);
        c[8] = '-';
        hex(c, 9, a >>> 16, 4);
        c[13] = '-';
        hex(c, 14, a, 4);
        c[18] = '-';
        hex(c, 19, b >>> 48, 4);
        c[23] = '-';
        hex(c, 24, b, 12);
        return new String(c, StandardCharsets.ISO_8859_1);
    }

    /** Lower-case hex digits, as {@link Character#forDigit(int, int)} gives them in radix 16. */
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);

    private static void hex(byte[] out, int at, long v, int digits) {
        for (int i = digits - 1; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }
}
