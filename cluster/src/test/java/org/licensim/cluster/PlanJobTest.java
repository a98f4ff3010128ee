package org.licensim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the job reads Spark's settings: the attempts after which a task's exception becomes its tenant's failure. */
class PlanJobTest {
    @Test
    @DisplayName("the attempts Spark gives a task: local[N] one, local[N,F] F, a cluster spark.task.maxFailures (4 by default)")
    void attempts() {
        SparkConf conf = new SparkConf(false);
        assertEquals(1, PlanJob.attempts("local[2]", conf));
        assertEquals(1, PlanJob.attempts("local", conf));
        assertEquals(3, PlanJob.attempts("local[2,3]", conf));
        assertEquals(4, PlanJob.attempts("local[*, 4]", conf));
        assertEquals(4, PlanJob.attempts("yarn", conf));
        assertEquals(8, PlanJob.attempts("spark://master:7077", conf.set("spark.task.maxFailures", "8")));
    }
}
