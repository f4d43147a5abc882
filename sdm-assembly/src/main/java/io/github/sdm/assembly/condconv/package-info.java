/**
 * The engine-free part of ME-CondConv (multi-expert conditional convolutions): the UNet config field that
 * says which resnet convolutions mix several expert kernels. The layers themselves are in
 * {@code io.github.sdm.assembly.djl.condconv}.
 */
package io.github.sdm.assembly.condconv;
