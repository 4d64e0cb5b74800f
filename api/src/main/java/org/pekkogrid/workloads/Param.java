package org.pekkogrid.workloads;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Documents a workload parameter (a component of its params record) and gives its default. */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
public @interface Param {

    /** What the parameter means, with its unit. */
    String value();

    /** The value used when the job does not give one; empty for a required parameter. */
    String defaultValue() default "";

    /** Whether the parameter may be left out: it is then null (an object type, such as a Path). */
    boolean optional() default false;
}
