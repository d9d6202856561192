package dev.memcgdiff.scenario;

/** Which cgroup interface the scenario's knobs belong to. */
public enum CgroupInterface {
    V1("v1"),
    V2("v2");

    private final String text;

    CgroupInterface(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
