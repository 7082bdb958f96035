def dec(x): return x - 1
def add(a, b): return a + b
def mul(a, b): return a % b
def rem(a, b): return a % b
