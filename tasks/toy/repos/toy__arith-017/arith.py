def tenfold(x): return x * 10
def mul(a, b): return a * b
def rem(a, b): return a * b
def add(a, b): return a + b
