package dev.memcgdiff.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class NotesQuestionsTest {
    private static final String NOTES = "docs/QUESTIONS.md";

    @Test
    void theQuestionInTheNameDecidesAndOtherCitedQuestionsBecomeTags() {
        NotesQuestions.Placement p = NotesQuestions.of(
                "q09-memsw-swap-past-2g",
                List.of(
                        NOTES + " §9",
                        NOTES + " §10",
                        "mm/memcontrol.c:mem_cgroup_swapout (4.18.0-147)",
                        "golden/incidents/4.18-memcg-shmem-write-memsw.log"));

        assertThat(p)
                .isEqualTo(new NotesQuestions.Placement(
                        "charge path", "§9 swap past memsw", List.of("§10 global reclaim swaps container anon")));
    }

    @Test
    void theSecondQuestionsNumberedSixteenAndSeventeenAreTheBOnes() {
        assertThat(NotesQuestions.of("q16b-no-swap-no-demotion", List.of(NOTES + " §16"))
                        .feature())
                .isEqualTo("§16b 4.18 demotes active anon while page cache remains");
        assertThat(NotesQuestions.of("q16b-no-swap-no-demotion", List.of()).epic())
                .isEqualTo("LRU balance");
        assertThat(NotesQuestions.of("q17b-container-shmem", List.of()).epic()).isEqualTo("page cache");
        assertThat(NotesQuestions.of("q17a-pod-limit", List.of()).epic()).isEqualTo("reclaim");
    }

    @Test
    void incidentScenariosGoUnderIncidentsNamedAfterTheirLog() {
        NotesQuestions.Placement p = NotesQuestions.of(
                "incident-418-memcg-shmem-write-memsw",
                List.of("golden/incidents/4.18-memcg-shmem-write-memsw.log", NOTES + " §15"));

        assertThat(p.epic()).isEqualTo("incidents");
        assertThat(p.feature()).isEqualTo("incident 4.18-memcg-shmem-write-memsw");
        assertThat(p.tags()).containsExactly("§15 allocation at the container limit: reclaim, ENOMEM or OOM");
    }

    @Test
    void withoutANumberedNameTheFirstNotesQuestionCitedDecides() {
        NotesQuestions.Placement p = NotesQuestions.of(
                "page-cache-limit",
                List.of("mm/memcontrol.c:mem_cgroup_cache_charge (3.10.0-1160)", NOTES + " §14", NOTES + " §18"));

        assertThat(p.epic()).isEqualTo("page cache");
        assertThat(p.feature()).isEqualTo("§14 page cache counts toward the limit");
        assertThat(p.tags()).containsExactly("§18 reclaim below the container's own limit (ancestor limit)");
    }

    @Test
    void kernelReferenceSectionsAreNotQuestionsOfTheNotes() {
        NotesQuestions.Placement p = NotesQuestions.of(
                "refault-scope", List.of("mm/workingset.c:workingset_refault (4.18.0-147)", "docs/FIDELITY.md §3"));

        assertThat(p).isEqualTo(new NotesQuestions.Placement("LRU balance", "no question of the notes", List.of()));
        assertThat(NotesQuestions.of("mystery", List.of()).epic()).isEqualTo("other");
        assertThat(NotesQuestions.of("x", List.of("golden/incidents/4.18-global-oom-filemap-fault.log"))
                        .feature())
                .isEqualTo("incident 4.18-global-oom-filemap-fault");
    }
}
