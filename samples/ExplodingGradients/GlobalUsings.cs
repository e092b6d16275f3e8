global using AutoGrad;
