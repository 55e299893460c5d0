// The password rule, in one place: the API's schemas check it and the console states it (the
// console imports this tiny module, not the schemas, so valibot stays out of its bundle).
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1024;
