package dev.memcgdiff.kernel;

/** The result of writing a cgroup file: 0 or the errno the write(2) would return. */
public enum KnobWrite {
    OK("ok"),
    EBUSY("ebusy"),
    EINVAL("einval"),
    EINTR("eintr"),
    EOPNOTSUPP("eopnotsupp");

    private final String result;

    KnobWrite(String result) {
        this.result = result;
    }

    /** The step result the runner records. */
    public String result() {
        return result;
    }
}
