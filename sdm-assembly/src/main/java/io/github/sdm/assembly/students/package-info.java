/**
 * Students assembled from a teacher UNet (BK-SDM's block removal): which layers a student keeps
 * ({@link io.github.sdm.assembly.students.StudentPlan}, from a removal spec or a preset), its diffusers
 * {@code config.json}, and the teacher's weights copied under the student's names
 * ({@link io.github.sdm.assembly.students.StudentAssembler}). Engine-free: weights are copied byte for byte
 * through safetensors.
 */
package io.github.sdm.assembly.students;
