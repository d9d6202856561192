package dev.memcgdiff.scenario;

import java.util.regex.Pattern;

/**
 * Which cgroup paths and file paths a scenario may name. Paths are identities in the model, so
 * spellings the kernel would treat as the same place ({@code //}, {@code /./}, a trailing
 * {@code /}) are refused instead of silently becoming a second cgroup or file.
 */
final class PathRules {
    static final String CGROUP_SYNTAX = "an absolute path like /kubepods.slice/pod1, names of A-Z a-z 0-9 _ . : @ -, "
            + "separated by single /, no trailing /";
    static final String FILE_SYNTAX =
            "an absolute file path like /data/app.log: no spaces, no trailing /, " + "no empty, . or .. parts";
    static final String TMPFS_FILE = "a file under /dev/shm/ or /tmp/ (tmpfs)";
    static final String REGULAR_FILE = "a file outside /dev/shm/ and /tmp/ (those are tmpfs)";

    private static final Pattern CGROUP_NAME = Pattern.compile("[A-Za-z0-9_.:@-]+");
    private static final Pattern FILE_PATH = Pattern.compile("/\\S*");

    private PathRules() {}

    /** Null when path is a well-formed cgroup path ("/" included), else what is wrong. */
    static String cgroupProblem(String path) {
        if (!path.startsWith("/")) {
            return "the cgroup path " + Scalars.show(path) + " does not start with /";
        }
        if (path.equals("/")) {
            return null;
        }
        if (path.endsWith("/")) {
            return "the cgroup path " + Scalars.show(path) + " ends with /";
        }
        for (String name : path.substring(1).split("/", -1)) {
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                return "the cgroup path " + Scalars.show(path) + " has an empty, . or .. part";
            }
            if (!CGROUP_NAME.matcher(name).matches()) {
                return "the cgroup name " + Scalars.show(name) + " in " + Scalars.show(path)
                        + " has a character outside A-Z a-z 0-9 _ . : @ -";
            }
        }
        return null;
    }

    /** Null when path is a well-formed file path, else what is wrong. */
    static String fileProblem(String path) {
        if (!FILE_PATH.matcher(path).matches()) {
            return path.startsWith("/")
                    ? "the file path " + Scalars.show(path) + " contains white space"
                    : "the file path " + Scalars.show(path) + " is not absolute";
        }
        if (path.endsWith("/")) {
            return "the file path " + Scalars.show(path) + " ends with / (a directory)";
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return "the file path " + Scalars.show(path) + " has an empty, . or .. part";
            }
        }
        return null;
    }

    /** Whether path is on one of the tmpfs mounts the model has: /dev/shm and /tmp. */
    static boolean isTmpfs(String path) {
        return path.startsWith("/dev/shm/") || path.startsWith("/tmp/");
    }

    /** The tmpfs mount points themselves are directories, not files. */
    static boolean isMountPoint(String path) {
        return path.equals("/dev/shm") || path.equals("/tmp");
    }
}
